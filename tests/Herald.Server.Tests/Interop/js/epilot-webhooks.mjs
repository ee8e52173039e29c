// Drives the published epilot webhooks client (@epilot/sdk/webhooks) against a running Herald.
//
//   node epilot-webhooks.mjs <scenario>
//
// Environment:
//   HERALD_BASE_URL  where Herald listens, e.g. http://127.0.0.1:5080/
//   HERALD_TOKEN     a bearer token Herald accepts
//   HERALD_ORG_ID    the organization that token belongs to
//
// The client is used as a customer would use it; only its base URL is pointed at Herald. Each call is one
// step; a step records what the client sent (method and URL) and what came back (status and body), whether
// the client resolved or rejected. stdout gets exactly one line: the JSON summary
//   { "scenario": "...", "steps": { "<step>": { "operation", "request": { "method", "url" }, "status", "data" } } }
// A failure of the script itself goes to stderr with a non-zero exit code.

import { authorize, getClient } from '@epilot/sdk/webhooks'

const env = (name) => {
  const value = process.env[name]
  if (!value) {
    throw new Error(`environment variable ${name} is not set`)
  }
  return value
}

const connect = () => {
  const client = getClient()
  client.defaults.baseURL = env('HERALD_BASE_URL')
  const token = env('HERALD_TOKEN')
  authorize(client, () => token)
  return client
}

// Runs one operation of the client and records it under `name` in `steps`.
const recorder = (client, steps) => async (name, operation, ...args) => {
  const record = (response) => {
    const config = response?.config
    steps[name] = {
      operation,
      request: config ? { method: config.method?.toUpperCase() ?? null, url: client.getUri(config) } : null,
      status: response?.status ?? null,
      data: response?.data === '' ? null : (response?.data ?? null),
    }
    return steps[name]
  }
  try {
    return record(await client[operation](...args))
  } catch (error) {
    if (error?.response) {
      return record(error.response)
    }
    steps[name] = { operation, request: null, status: null, data: null, error: String(error?.message ?? error) }
    return steps[name]
  }
}

const configBody = (name, eventName) => ({
  name,
  eventName,
  url: 'https://receiver.example.com/hooks/herald',
  httpMethod: 'POST',
  enabled: true,
})

const scenarios = {
  // createConfig, getConfig, getConfigs (filtered), updateConfig, deleteConfig, getConfiguredEvents, getPublicKey.
  async configs(call) {
    const created = await call('create', 'createConfig', null, configBody('Interop config', 'customer_request_created'))
    await call('createOther', 'createConfig', null, configBody('Interop other config', 'order_created'))
    const configId = created.data?.id

    await call('get', 'getConfig', { configId })
    await call('list', 'getConfigs', { eventName: 'customer_request_created' })
    await call('update', 'updateConfig', { configId }, configBody('Interop config renamed', 'customer_request_created'))
    await call('getAfterUpdate', 'getConfig', { configId })
    await call('delete', 'deleteConfig', { configId })
    await call('getAfterDelete', 'getConfig', { configId })
    await call('configuredEvents', 'getConfiguredEvents')
    await call('publicKey', 'getPublicKey', { orgId: env('HERALD_ORG_ID') })
  },

  // Herald's extensions on a config (rateLimit, disabledReason, disabledAt) read by the client, and a config Herald
  // disabled (HERALD_CONFIG_ID) enabled again by an update of what the client read.
  async health(call) {
    const configId = env('HERALD_CONFIG_ID')
    const read = await call('get', 'getConfig', { configId })
    await call('list', 'getConfigs', {})
    await call('enable', 'updateConfig', { configId }, { ...read.data, enabled: true })
    await call('getAfterEnable', 'getConfig', { configId })
  },

  // triggerWebhook (sync and async) and getEventById, against a receiver at HERALD_RECEIVER_URL.
  async delivery(call) {
    const created = await call('create', 'createConfig', null, {
      ...configBody('Interop delivery', 'customer_request_created'),
      url: env('HERALD_RECEIVER_URL'),
    })
    const configId = created.data?.id
    const payload = { metadata: { action: 'Interop' }, entity: { _id: 'entity-1', name: 'Interop' } }
    const sync = await call('triggerSync', 'triggerWebhook', { configId, sync: true }, payload)
    await call('triggerAsync', 'triggerWebhook', { configId }, payload)
    await call('getEvent', 'getEventById', { configId, eventId: sync.data?.event_id })
    await call('getUnknownEvent', 'getEventById', { configId, eventId: '00000000-0000-7000-8000-000000000000' })
  },

  // testOAuth against a token endpoint at HERALD_TOKEN_URL, and on a config without OAuth.
  async oauth(call) {
    const created = await call('create', 'createConfig', null, {
      ...configBody('Interop OAuth', 'customer_request_created'),
      auth: {
        authType: 'OAUTH_CLIENT_CREDENTIALS',
        oauthConfig: {
          endpoint: env('HERALD_TOKEN_URL'),
          httpMethod: 'POST',
          clientId: 'interop-client',
          clientSecret: 'interop-secret',
          customParameterList: [{ type: 'body', key: 'scope', value: 'webhooks' }],
        },
      },
    })
    await call('testOAuth', 'testOAuth', { configId: created.data?.id })
    const plain = await call('createPlain', 'createConfig', null, configBody('Interop without OAuth', 'customer_request_created'))
    await call('testOAuthWithoutOAuth', 'testOAuth', { configId: plain.data?.id })
  },

  // The event history: getWebhookEventsV2 (paged), getWehookEvents, getEventById, replayEvent, batchReplayEvents
  // and getWebhookExample, against a receiver at HERALD_RECEIVER_URL.
  async history(call) {
    const created = await call('create', 'createConfig', null, {
      ...configBody('Interop history', 'order_created'),
      url: env('HERALD_RECEIVER_URL'),
    })
    const configId = created.data?.id
    const eventIds = []
    for (let i = 0; i < 3; i++) {
      const sync = await call(`trigger${i}`, 'triggerWebhook', { configId, sync: true }, { metadata: {}, entity: { _id: `entity-${i}` } })
      eventIds.push(sync.data?.event_id)
    }
    const first = await call('listFirst', 'getWebhookEventsV2', { configId }, { limit: 2 })
    await call('listNext', 'getWebhookEventsV2', { configId }, { limit: 2, cursor: first.data?.next_cursor })
    await call('listFiltered', 'getWebhookEventsV2', { configId }, { status: 'succeeded', event_id: eventIds[1] })
    await call('listBadLimit', 'getWebhookEventsV2', { configId }, { limit: 26 })
    await call('listV1', 'getWehookEvents', { configId, status: 'succeeded' })
    await call('getEvent', 'getEventById', { configId, eventId: eventIds[0] })
    await call('replay', 'replayEvent', { configId, eventId: eventIds[0] }, { reapply_transform: false })
    await call('replayUnknown', 'replayEvent', { configId, eventId: '00000000-0000-7000-8000-000000000000' })
    await call('replayBatch', 'batchReplayEvents', { configId }, { eventIds: [eventIds[2], 'unknown-event', eventIds[1]], reapply_transform: true })
    await call('replayBatchEmpty', 'batchReplayEvents', { configId }, { eventIds: [] })
    await call('example', 'getWebhookExample', { configId }, { automation_id: 'automation_123' })
    await call('exampleUnknown', 'getWebhookExample', { configId: 'no-such-config' }, {})
  },

  // A config whose signing secret was rotated (Herald's signingSecretRotation on it) and an organization whose key was
  // rotated (Herald's keys on getPublicKey), both done over HTTP before: getConfig, getConfigs, updateConfig with the
  // config as read, getPublicKey. The config is HERALD_CONFIG_ID.
  async rotation(call) {
    const configId = env('HERALD_CONFIG_ID')
    const read = await call('get', 'getConfig', { configId })
    await call('list', 'getConfigs')
    await call('update', 'updateConfig', { configId }, { ...read.data, name: 'Interop rotated config renamed' })
    await call('getAfterUpdate', 'getConfig', { configId })
    await call('publicKey', 'getPublicKey', { orgId: env('HERALD_ORG_ID') })
  },
}

const main = async () => {
  const scenario = process.argv[2]
  if (!Object.hasOwn(scenarios, scenario ?? '')) {
    throw new Error(`unknown scenario '${scenario}'; known: ${Object.keys(scenarios).join(', ')}`)
  }
  const client = connect()
  const steps = {}
  await scenarios[scenario](recorder(client, steps))
  process.stdout.write(JSON.stringify({ scenario, steps }) + '\n')
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`)
  process.exitCode = 1
})
