// The official openai npm client against agentkit-gateway: node openai_gateway.mjs http://127.0.0.1:PORT/v1
// Non-streamed and streamed completions (usage included), tool calls both ways (and through the client's own
// stream accumulator), model listing and error mapping. The gateway runs on its simulated upstream, whose
// replies are known. Prints one line per check; exits 1 on the first failure.
import OpenAI from 'openai';
import assert from 'node:assert/strict';

const client = new OpenAI({ baseURL: process.argv[2], apiKey: 'sk-test', maxRetries: 0, timeout: 20000 });
const tools = [{ type: 'function', function: { name: 'add', description: 'adds', parameters: { type: 'object', properties: { input: { type: 'string' } } } } }];
let checks = 0;
const check = (name) => console.log(`ok ${++checks} ${name}`);

const whole = await client.chat.completions.create({ model: 'agentkit-sim', messages: [{ role: 'user', content: 'hello' }] });
assert.equal(whole.object, 'chat.completion');
assert.equal(whole.choices[0].message.content, '[simulated] you said: hello');
assert.equal(whole.choices[0].finish_reason, 'stop');
assert.ok(whole.usage.total_tokens > 0);
check('non-streamed completion');

const { data, response } = await client.chat.completions
  .create({ model: 'agentkit-sim', messages: [{ role: 'user', content: 'hi' }] })
  .withResponse();
assert.ok(/^\d+$/.test(response.headers.get('x-agentkit-overhead-us')));
assert.equal(data.choices[0].message.content, '[simulated] you said: hi');
check('x-agentkit-overhead-us header');

const stream = await client.chat.completions.create({
  model: 'agentkit-sim', messages: [{ role: 'user', content: 'stream me' }], stream: true, stream_options: { include_usage: true },
});
let text = '', usage = null, finish = null, chunks = 0;
for await (const chunk of stream) {
  ++chunks;
  if (chunk.choices.length > 0) {
    text += chunk.choices[0].delta.content ?? '';
    finish = chunk.choices[0].finish_reason ?? finish;
  }
  if (chunk.usage) {
    assert.equal(chunk.choices.length, 0);
    usage = chunk.usage;
  }
}
assert.equal(text, '[simulated] you said: stream me');
assert.equal(finish, 'stop');
assert.ok(usage && usage.completion_tokens > 0 && chunks > 3);
check(`streamed completion (${chunks} chunks, usage last)`);

const call = await client.chat.completions.create({ model: 'agentkit-sim', messages: [{ role: 'user', content: 'add 2 3' }], tools });
const tc = call.choices[0].message.tool_calls;
assert.equal(call.choices[0].finish_reason, 'tool_calls');
assert.equal(tc.length, 1);
assert.equal(tc[0].function.name, 'add');
assert.deepEqual(JSON.parse(tc[0].function.arguments), { input: 'add 2 3' });
check('tool call, non-streamed');

const runner = client.chat.completions.stream({ model: 'agentkit-sim', messages: [{ role: 'user', content: 'add 4 5' }], tools });
const final = await runner.finalChatCompletion();
const streamedCall = final.choices[0].message.tool_calls[0];
assert.equal(streamedCall.id, 'call_sim_1');
assert.equal(streamedCall.function.name, 'add');
assert.deepEqual(JSON.parse(streamedCall.function.arguments), { input: 'add 4 5' });
check("tool call, streamed (the client's own accumulator)");

const answer = await client.chat.completions.create({
  model: 'agentkit-sim',
  messages: [
    { role: 'user', content: 'add 2 3' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'add', arguments: '{}' } }] },
    { role: 'tool', tool_call_id: 'call_1', content: '5' },
  ],
  tools,
});
assert.equal(answer.choices[0].message.content, '[simulated] the tool returned: 5');
check('tool result answered');

const models = await client.models.list();
assert.ok(models.data.some((m) => m.id === 'agentkit-sim'));
check('models.list');

try {
  await client.chat.completions.create({ model: 'agentkit-sim', messages: [{ role: 'robot', content: 'x' }] });
  assert.fail('accepted a bad role');
} catch (e) {
  assert.ok(e instanceof OpenAI.BadRequestError, String(e));
  assert.equal(e.status, 400);
  assert.equal(e.param, 'messages[0].role');
}
check('error mapping (BadRequestError, param)');
console.log(`all ${checks} checks passed`);
