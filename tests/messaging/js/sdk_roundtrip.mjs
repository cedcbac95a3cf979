// Drives the official IVS chat SDK against the emulator, step by step with the pytest test.
//
// Usage: node [--experimental-websocket] sdk_roundtrip.mjs <url> <token>
// Prints one JSON line per step on stdout. The test acts on the control plane
// when it reads "message" (SendEvent) and "event" (DisconnectUser).
import { ChatRoom, DeleteMessageRequest, SendMessageRequest } from 'amazon-ivs-chat-messaging';

const [url, token] = process.argv.slice(2);
const report = (step, detail = {}) => console.log(JSON.stringify({ step, ...detail }));
const fail = (why) => {
  report('failed', { why: String(why) });
  process.exit(1);
};
// A hang fails the test instead of blocking it.
setTimeout(() => fail('timed out'), 30_000).unref();

const room = new ChatRoom({
  regionOrUrl: url,
  maxReconnectAttempts: 0,
  tokenProvider: async () => ({ token }),
});
room.logLevel = 'error';
room.logger = { debug() {}, info() {}, error: (...args) => console.error(...args) };

room.addListener('connect', async () => {
  report('connected');
  try {
    const request = new SendMessageRequest('hello from the SDK', { mood: 'happy' });
    const message = await room.sendMessage(request);
    // The token has no DELETE_MESSAGE capability: the SDK must reject with the ERROR frame.
    const deleteRequest = new DeleteMessageRequest(message.id);
    const refusal = await room.deleteMessage(deleteRequest).then(
      () => null,
      (error) => error,
    );
    report('message', {
      id: message.id,
      content: message.content,
      attributes: message.attributes,
      sender: message.sender,
      requestIdEchoed: message.requestId === request.requestId,
      sendTime: message.sendTime.toISOString(),
      refusal: refusal && {
        errorCode: refusal.errorCode,
        requestIdEchoed: refusal.requestId === deleteRequest.requestId,
      },
    });
  } catch (error) {
    fail(error);
  }
});
room.addListener('event', (event) => {
  report('event', { eventName: event.eventName, attributes: event.attributes });
});
room.addListener('userDisconnect', (event) => {
  report('userDisconnect', { userId: event.userId, reason: event.reason });
});
room.addListener('disconnect', (reason) => {
  report('disconnect', { reason });
  process.exit(0);
});
room.connect();
