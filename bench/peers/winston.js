// SPDX-License-Identifier: MIT
// winston-loki with its defaults but the host, the labels and the format: logs COUNT lines
// as loki-send does ("synthetic entry <i>"), waits until the transport has them all and its
// last push was answered, and prints what it measured as one JSON line.
//
//   node bench/peers/winston.js http://127.0.0.1:3101 json|protobuf 100000
'use strict'

const winston = require('winston')
const LokiTransport = require('winston-loki')

async function main () {
  const [url, format, countText] = process.argv.slice(2)
  const count = Number(countText)
  const transport = new LokiTransport({
    host: url,
    json: format === 'json',
    labels: { app: 'loki-send', environment: 'production' },
    onConnectionError: (error) => console.error(error)
  })
  const logger = winston.createLogger({ transports: [transport] })
  // winston hands entries to the transport through a stream, later than info() returns:
  // flush() covers only those the transport has seen, so wait for every one first.
  let seen = 0
  let allSeen
  const everySeen = new Promise((resolve) => { allSeen = resolve })
  transport.on('logged', () => { if (++seen === count) allSeen() })

  const cpu = process.cpuUsage()
  const start = process.hrtime.bigint()
  for (let i = 1; i <= count; ++i) logger.info(`synthetic entry ${i}`)
  await everySeen
  await transport.flush()
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9
  const used = process.cpuUsage(cpu)
  console.log(JSON.stringify({
    // winston-loki falls back to JSON when its optional snappy dependency is missing.
    format: transport.batcher.options.json ? 'json' : 'protobuf',
    entries: count,
    elapsed_s: elapsed,
    entries_per_s: count / elapsed,
    window_cpu_s: (used.user + used.system) / 1e6
  }))
  process.exit(0)
}

main().catch((error) => { console.error(error); process.exit(1) })
