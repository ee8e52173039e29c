// Signs or verifies with the reference Standard Webhooks library (npm 'standardwebhooks').
// Input: HERALD_NPM_INPUT =
//   {"mode": "sign", "secret": "whsec_...", "id": "msg_...", "timestamp": 1767225600, "body": "..."}
//   {"mode": "verify", "secret": "whsec_...", "headers": {...}, "body": "..."}
//   {"mode": "canonical", "json": "..."}: the JSON text with keys sorted at every level, written by JSON.stringify
// Output: one JSON line {"signature": "v1,..."}, {"verified": true|false, "error": "..."} or {"text": "..."}.
import { Webhook } from 'standardwebhooks';

const input = JSON.parse(process.env.HERALD_NPM_INPUT ?? '{}');
const sorted = (value) => Array.isArray(value) ? value.map(sorted)
  : value !== null && typeof value === 'object'
    ? Object.fromEntries(Object.keys(value).sort().map((key) => [key, sorted(value[key])]))
    : value;
const webhook = input.mode === 'canonical' ? null : new Webhook(input.secret);
if (input.mode === 'canonical') {
  console.log(JSON.stringify({ text: JSON.stringify(sorted(JSON.parse(input.json))) }));
} else if (input.mode === 'sign') {
  console.log(JSON.stringify({ signature: webhook.sign(input.id, new Date(input.timestamp * 1000), input.body) }));
} else {
  try {
    webhook.verify(input.body, input.headers);
    console.log(JSON.stringify({ verified: true }));
  } catch (error) {
    console.log(JSON.stringify({ verified: false, error: String(error?.message ?? error) }));
  }
}
