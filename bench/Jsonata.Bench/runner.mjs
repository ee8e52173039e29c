// The jsonata-js side of the JSONata benchmark (bench/Jsonata.Bench).
//
//   node runner.mjs <workload.json> <folder holding node_modules/jsonata>
//
// Reads the same workload file as the .NET side, compiles every expression once, parses every input once,
// then waits for case numbers on stdin, one per line. For each it evaluates once for the result, warms up,
// sizes a batch, times the samples and answers with one JSON line on stdout.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const [workloadPath, installDir] = process.argv.slice(2);
const require = createRequire(join(installDir, 'package.json'));
const jsonata = require('jsonata');
const version = require('jsonata/package.json').version;

const workload = JSON.parse(readFileSync(workloadPath, 'utf8'));
const { samples, batchMilliseconds, warmupMilliseconds } = workload.settings;
const inputs = Object.fromEntries(Object.entries(workload.inputs).map(([name, text]) => [name, JSON.parse(text)]));
const compiled = workload.cases.map((c) => jsonata(c.expression));

async function runBatch(expression, input, count) {
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    await expression.evaluate(input);
  }
  return Number(process.hrtime.bigint() - started);
}

async function measure(index) {
  const expression = compiled[index];
  const input = inputs[workload.cases[index].input];
  const first = await expression.evaluate(input);
  const result = first === undefined ? null : JSON.stringify(first);

  const warmupEnd = process.hrtime.bigint() + BigInt(warmupMilliseconds) * 1_000_000n;
  while (process.hrtime.bigint() < warmupEnd) {
    await runBatch(expression, input, 16);
  }

  let batch = 1;
  while ((await runBatch(expression, input, batch)) < batchMilliseconds * 1_000_000 && batch < (1 << 24)) {
    batch *= 2;
  }

  const perEvaluation = [];
  for (let s = 0; s < samples; s++) {
    perEvaluation.push((await runBatch(expression, input, batch)) / batch / 1000);
  }
  const sorted = [...perEvaluation].sort((a, b) => a - b);
  return { index, result, batch, micros: perEvaluation, median: sorted[sorted.length >> 1] };
}

process.stdout.write(JSON.stringify({ ready: true, jsonata: version, node: process.version }) + '\n');
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line.trim() === '') {
    continue;
  }
  const index = Number(line);
  try {
    process.stdout.write(JSON.stringify(await measure(index)) + '\n');
  } catch (error) {
    process.stdout.write(JSON.stringify({ index, error: String(error && error.message ? error.message : error) }) + '\n');
  }
}
