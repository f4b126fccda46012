// The official @anthropic-ai/sdk client against agentkit-gateway's /v1/messages:
// node anthropic_gateway.mjs http://127.0.0.1:PORT/v1   (the SDK adds /v1/messages to the origin)
// Whole and streamed messages (through the SDK's own stream accumulator), tool use, a tool result answered,
// error mapping. The gateway runs on its simulated upstream, whose replies are known. Exits 1 on a failure.
import Anthropic from '@anthropic-ai/sdk';
import assert from 'node:assert/strict';

const origin = process.argv[2].replace(/\/v1\/?$/, '');
const client = new Anthropic({ baseURL: origin, apiKey: 'sk-ant-test', maxRetries: 0, timeout: 20000 });
const tools = [{ name: 'add', description: 'adds', input_schema: { type: 'object', properties: { input: { type: 'string' } } } }];
let checks = 0;
const check = (name) => console.log(`ok ${++checks} ${name}`);

const whole = await client.messages.create({ model: 'claude-sim', max_tokens: 64, messages: [{ role: 'user', content: 'hello' }] });
assert.equal(whole.type, 'message');
assert.equal(whole.role, 'assistant');
assert.equal(whole.content[0].type, 'text');
assert.equal(whole.content[0].text, '[simulated] you said: hello');
assert.equal(whole.stop_reason, 'end_turn');
assert.ok(whole.usage.output_tokens > 0);
check('whole message');

const stream = client.messages.stream({ model: 'claude-sim', max_tokens: 64, messages: [{ role: 'user', content: 'stream me' }] });
let text = '';
stream.on('text', (t) => { text += t; });
const final = await stream.finalMessage();
assert.equal(text, '[simulated] you said: stream me');
assert.equal(final.content[0].text, text);
assert.equal(final.stop_reason, 'end_turn');
assert.ok(final.usage.output_tokens > 0);
check("streamed message (the SDK's own accumulator)");

const use = await client.messages.create({ model: 'claude-sim', max_tokens: 64, tools, messages: [{ role: 'user', content: 'add 2 3' }] });
assert.equal(use.stop_reason, 'tool_use');
const block = use.content.find((b) => b.type === 'tool_use');
assert.equal(block.name, 'add');
assert.deepEqual(block.input, { input: 'add 2 3' });
check('tool use, whole');

const streamedUse = await client.messages
  .stream({ model: 'claude-sim', max_tokens: 64, tools, messages: [{ role: 'user', content: 'add 4 5' }] })
  .finalMessage();
const sblock = streamedUse.content.find((b) => b.type === 'tool_use');
assert.equal(sblock.name, 'add');
assert.deepEqual(sblock.input, { input: 'add 4 5' });
assert.equal(streamedUse.stop_reason, 'tool_use');
check('tool use, streamed (input_json_delta pieces)');

const answered = await client.messages.create({
  model: 'claude-sim', max_tokens: 64, tools,
  messages: [
    { role: 'user', content: 'add 2 3' },
    { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'add', input: { input: '2 3' } }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '5' }] },
  ],
});
assert.equal(answered.content[0].text, '[simulated] the tool returned: 5');
check('tool result answered');

try {
  await client.messages.create({ model: 'claude-sim', max_tokens: 8, messages: [{ role: 'robot', content: 'x' }] });
  assert.fail('accepted a bad role');
} catch (e) {
  assert.ok(e instanceof Anthropic.BadRequestError, String(e));
  assert.equal(e.status, 400);
  assert.equal(e.error.type, 'error');
  assert.equal(e.error.error.type, 'invalid_request_error');
}
check('error mapping (BadRequestError)');
console.log(`all ${checks} checks passed`);
