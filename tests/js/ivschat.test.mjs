// AWS SDK for JavaScript v3 (@aws-sdk/client-ivschat) against moto-ivschat-server.
// Run by tests/server/test_js_sdk.py: `node --test` with IVSCHAT_ENDPOINT_URL set.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  ConflictException,
  CreateChatTokenCommand,
  CreateLoggingConfigurationCommand,
  CreateRoomCommand,
  DeleteLoggingConfigurationCommand,
  DeleteMessageCommand,
  DeleteRoomCommand,
  DisconnectUserCommand,
  GetLoggingConfigurationCommand,
  GetRoomCommand,
  IvschatClient,
  ListLoggingConfigurationsCommand,
  ListRoomsCommand,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
  SendEventCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateLoggingConfigurationCommand,
  UpdateRoomCommand,
  ValidationException,
} from "@aws-sdk/client-ivschat";

const endpoint = process.env.IVSCHAT_ENDPOINT_URL;
assert.ok(endpoint, "IVSCHAT_ENDPOINT_URL must name the server");

const client = new IvschatClient({
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  maxAttempts: 1,
});

/** Every request path the client sends, as it goes on the wire. */
const sentPaths = [];
client.middlewareStack.add(
  (next) => async (args) => {
    sentPaths.push(args.request.path);
    return next(args);
  },
  { step: "finalizeRequest", name: "recordPath" },
);

const ROOM_ARN = /^arn:aws:ivschat:us-east-1:123456789012:room\/[a-zA-Z0-9]{12}$/;
const CONFIG_ARN = /^arn:aws:ivschat:us-east-1:123456789012:logging-configuration\/[a-zA-Z0-9]{12}$/;

async function newConfig(name) {
  return client.send(
    new CreateLoggingConfigurationCommand({
      name,
      destinationConfiguration: { cloudWatchLogs: { logGroupName: `chat/${name}` } },
    }),
  );
}

test("rooms: create, get, update, list and a 204 delete", async () => {
  const room = await client.send(new CreateRoomCommand({ name: "js-room", tags: { team: "chat" } }));
  assert.match(room.arn, ROOM_ARN);
  assert.equal(room.$metadata.httpStatusCode, 200);
  assert.equal(room.maximumMessageLength, 500);
  assert.equal(room.maximumMessageRatePerSecond, 10);
  assert.deepEqual(room.tags, { team: "chat" });
  assert.ok(room.createTime instanceof Date);

  const got = await client.send(new GetRoomCommand({ identifier: room.arn }));
  assert.equal(got.name, "js-room");
  assert.equal(got.createTime.getTime(), room.createTime.getTime());

  const updated = await client.send(
    new UpdateRoomCommand({ identifier: room.arn, name: "js-hall", maximumMessageLength: 100 }),
  );
  assert.equal(updated.name, "js-hall");
  assert.equal(updated.maximumMessageLength, 100);
  assert.equal(updated.maximumMessageRatePerSecond, 10);

  const listed = await client.send(new ListRoomsCommand({ name: "js-hall" }));
  assert.deepEqual(
    listed.rooms.map((r) => r.arn),
    [room.arn],
  );

  const deleted = await client.send(new DeleteRoomCommand({ identifier: room.arn }));
  assert.equal(deleted.$metadata.httpStatusCode, 204);
  await assert.rejects(client.send(new GetRoomCommand({ identifier: room.arn })), ResourceNotFoundException);
});

test("logging configurations: create, get, update, list and a 204 delete", async () => {
  const config = await newConfig("js-logs");
  assert.match(config.arn, CONFIG_ARN);
  assert.equal(config.state, "ACTIVE");
  assert.deepEqual(config.destinationConfiguration, { cloudWatchLogs: { logGroupName: "chat/js-logs" } });

  const got = await client.send(new GetLoggingConfigurationCommand({ identifier: config.arn }));
  assert.equal(got.name, "js-logs");
  const updated = await client.send(
    new UpdateLoggingConfigurationCommand({
      identifier: config.arn,
      destinationConfiguration: { s3: { bucketName: "js-chat-logs" } },
    }),
  );
  assert.deepEqual(updated.destinationConfiguration, { s3: { bucketName: "js-chat-logs" } });
  const listed = await client.send(new ListLoggingConfigurationsCommand({}));
  assert.ok(listed.loggingConfigurations.some((c) => c.arn === config.arn));

  const deleted = await client.send(new DeleteLoggingConfigurationCommand({ identifier: config.arn }));
  assert.equal(deleted.$metadata.httpStatusCode, 204);
  await assert.rejects(
    client.send(new GetLoggingConfigurationCommand({ identifier: config.arn })),
    ResourceNotFoundException,
  );
});

test("chat tokens and messaging: CreateChatToken, SendEvent, DeleteMessage, DisconnectUser", async () => {
  const room = await client.send(new CreateRoomCommand({}));
  const token = await client.send(
    new CreateChatTokenCommand({
      roomIdentifier: room.arn,
      userId: "alice",
      capabilities: ["SEND_MESSAGE", "DELETE_MESSAGE"],
      sessionDurationInMinutes: 30,
      attributes: { displayName: "Alice" },
    }),
  );
  assert.equal(typeof token.token, "string");
  assert.ok(token.token.length > 0);
  assert.ok(token.tokenExpirationTime instanceof Date);
  assert.ok(token.sessionExpirationTime instanceof Date);

  const event = await client.send(
    new SendEventCommand({ roomIdentifier: room.arn, eventName: "ping", attributes: { k: "v" } }),
  );
  assert.match(event.id, /^[a-zA-Z0-9]{12}$/);
  const deletion = await client.send(
    new DeleteMessageCommand({ roomIdentifier: room.arn, id: "abcdEFGH1234", reason: "spam" }),
  );
  assert.match(deletion.id, /^[a-zA-Z0-9]{12}$/);
  const disconnected = await client.send(
    new DisconnectUserCommand({ roomIdentifier: room.arn, userId: "alice", reason: "bye" }),
  );
  assert.equal(disconnected.$metadata.httpStatusCode, 200);
  await client.send(new DeleteRoomCommand({ identifier: room.arn }));
});

test("tags: the ARN travels percent-encoded in the path", async () => {
  const room = await client.send(new CreateRoomCommand({}));
  const config = await newConfig("js-tagged");
  const encoded = (arn) => `/tags/${encodeURIComponent(arn)}`;
  for (const arn of [room.arn, config.arn]) {
    sentPaths.length = 0;
    await client.send(new TagResourceCommand({ resourceArn: arn, tags: { env: "test", "with space": "v" } }));
    await client.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ["with space"] }));
    const tags = await client.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    assert.deepEqual(tags.tags, { env: "test" });
    assert.deepEqual(sentPaths, [encoded(arn), encoded(arn), encoded(arn)]);
    assert.ok(sentPaths[0].includes("%3A") && sentPaths[0].includes("%2F"));
  }
  await client.send(new DeleteRoomCommand({ identifier: room.arn }));
  await client.send(new DeleteLoggingConfigurationCommand({ identifier: config.arn }));
});

test("typed errors: ValidationException and ResourceNotFoundException", async () => {
  await assert.rejects(client.send(new CreateRoomCommand({ maximumMessageLength: 501 })), (error) => {
    assert.ok(error instanceof ValidationException);
    assert.equal(error.name, "ValidationException");
    assert.equal(error.$metadata.httpStatusCode, 400);
    assert.equal(error.reason, "FIELD_VALIDATION_FAILED");
    assert.deepEqual(
      error.fieldList.map((f) => f.name),
      ["maximumMessageLength"],
    );
    return true;
  });
  await assert.rejects(client.send(new GetRoomCommand({ identifier: "not-an-arn" })), ValidationException);

  const missing = "arn:aws:ivschat:us-east-1:123456789012:room/abcdABCD1234";
  await assert.rejects(client.send(new GetRoomCommand({ identifier: missing })), (error) => {
    assert.ok(error instanceof ResourceNotFoundException);
    assert.equal(error.$metadata.httpStatusCode, 404);
    assert.equal(error.resourceId, "abcdABCD1234");
    assert.equal(error.resourceType, "ROOM");
    return true;
  });
  await assert.rejects(
    client.send(new TagResourceCommand({ resourceArn: missing, tags: { a: "b" } })),
    ResourceNotFoundException,
  );
});

test("typed errors: ConflictException when a room still uses the logging configuration", async () => {
  const config = await newConfig("js-in-use");
  const room = await client.send(new CreateRoomCommand({ loggingConfigurationIdentifiers: [config.arn] }));
  await assert.rejects(
    client.send(new DeleteLoggingConfigurationCommand({ identifier: config.arn })),
    (error) => error instanceof ConflictException && error.$metadata.httpStatusCode === 409,
  );
  await client.send(new DeleteRoomCommand({ identifier: room.arn }));
  await client.send(new DeleteLoggingConfigurationCommand({ identifier: config.arn }));
});
