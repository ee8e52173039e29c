// The jsonata-js side of the JSONata benchmark (bench/Jsonata.Bench).
//
//   node runner.mjs <workload.json> <folder holding node_modules/jsonata>
//
// Reads the same workload file as the .NET side, compiles every expression once and parses every input once.
// Then answers requests on stdin, one per line, with one JSON line on stdout each:
//   prepare <case>  evaluate once for the result, warm up, size a batch: {"result", "batch"}
//   sample <case>   time one batch of the size prepare chose: {"micros"} per evaluation
// The .NET side alternates samples of both engines, so machine load falls on both alike.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const [workloadPath, installDir] = process.argv.slice(2);
const require = createRequire(join(installDir, 'package.json'));
const jsonata = require('jsonata');
const version = require('jsonata/package.json').version;

const workload = JSON.parse(readFileSync(workloadPath, 'utf8'));
const { batchMilliseconds, warmupMilliseconds } = workload.settings;
const inputs = Object.fromEntries(Object.entries(workload.inputs).map(([name, text]) => [name, JSON.parse(text)]));
const compiled = workload.cases.map((c) => jsonata(c.expression));
const batches = new Map();

async function runBatch(index, count) {
  const expression = compiled[index];
  const input = inputs[workload.cases[index].input];
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    await expression.evaluate(input);
  }
  return Number(process.hrtime.bigint() - started);
}

async function prepare(index) {
  const first = await compiled[index].evaluate(inputs[workload.cases[index].input]);
  const result = first === undefined ? null : JSON.stringify(first);

  const warmupEnd = process.hrtime.bigint() + BigInt(warmupMilliseconds) * 1_000_000n;
  while (process.hrtime.bigint() < warmupEnd) {
    await runBatch(index, 16);
  }

  let batch = 1;
  while ((await runBatch(index, batch)) < batchMilliseconds * 1_000_000 && batch < (1 << 24)) {
    batch *= 2;
  }
  batches.set(index, batch);
  return { result, batch };
}

async function sample(index) {
  const batch = batches.get(index);
  return { micros: (await runBatch(index, batch)) / batch / 1000 };
}

process.stdout.write(JSON.stringify({ ready: true, jsonata: version, node: process.version }) + '\n');
for await (const line of createInterface({ input: process.stdin })) {
  const [command, argument] = line.trim().split(' ');
  if (!command) {
    continue;
  }
  const index = Number(argument);
  try {
    const answer = command === 'prepare' ? await prepare(index) : await sample(index);
    process.stdout.write(JSON.stringify(answer) + '\n');
  } catch (error) {
    process.stdout.write(JSON.stringify({ error: String(error && error.message ? error.message : error) }) + '\n');
  }
}
