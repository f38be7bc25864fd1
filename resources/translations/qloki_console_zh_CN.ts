<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ConnectionPanel</name>
    <message>
        <source>Use external Loki</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep failed batches in the offline buffer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>http://localhost:3100</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send to the URL below instead of the console&apos;s built-in receiver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none (X-Scope-OrgID)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protobuf + snappy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON + gzip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> KiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop oldest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop newest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Block the caller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoint URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenant:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>App name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Environment:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Format:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batching and retries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch entries:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch bytes:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flush interval:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max retries:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First retry after:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Longest retry delay:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Buffer size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When full:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Static labels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applied.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loki&apos;s base URL or its /loki/api/v1/push URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The console&apos;s built-in receiver</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConsoleWindow</name>
    <message>
        <source>Loki Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Faults</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events (newest first, last %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the burst first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the burst first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The built-in receiver could not start: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entry sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Built-in receiver not running: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending to the built-in receiver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · built-in receiver at %2: %3 entries stored, %4 pushes</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EventModel</name>
    <message>
        <source>delivered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed, will retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dropped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FaultsPanel</name>
    <message>
        <source>Faults act on the built-in receiver only; uncheck &quot;Use external Loki&quot; on the Connection tab to use them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fail pushes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send 429</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set latency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear all faults</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inject into the built-in receiver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go offline for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fail the next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pushes with HTTP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer the next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pushes with 429, Retry-After</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer every push after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>offline, back in %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the next %1 pushes get %2 with Retry-After %3 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the next %1 pushes get %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>answers delayed by %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the next %1 connections are dropped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No faults: the receiver answers normally.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KeyValueTable</name>
    <message>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LogQuery</name>
    <message>
        <source>The answer is not JSON: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loki answered: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expected log streams, got &quot;%1&quot;; use a log query.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RateChart</name>
    <message>
        <source>Entries per second (last 60 s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>delivered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>seconds ago</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReadBackPanel</name>
    <message>
        <source>Query</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LogQL, e.g. {app=&quot;loki-console&quot;} |= &quot;error&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 5 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>limit </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metadata</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n entries</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Querying…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScreenshotTour</name>
    <message>
        <source>Cannot write %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrote %1, but not every entry was delivered</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SendPanel</name>
    <message>
        <source>Hello from the Loki Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Debug</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Info</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Critical</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stream labels: keep them few and low-cardinality</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Structured metadata: per-entry values such as ids</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> /s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>full speed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%v of %m</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Level:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labels:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metadata:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Burst</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entries:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rate:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Threads:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StateBadge</name>
    <message>
        <source>Online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retrying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusPanel</name>
    <message>
        <source>Dropped, buffer full:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dropped, rejected:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dropped, retries exhausted:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dropped at shutdown:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dropped, invalid:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%v of %m</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entries waiting for a retry or the next flush, of the buffer size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Buffered:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In flight:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next retry:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last error:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accepted:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivered:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pending:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retries:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bytes sent:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batches delivered:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed tries:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none scheduled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in %1 s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Send test logs to Loki and watch delivery.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the translation for LOCALE (e.g. zh_CN).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LOCALE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send a small burst, wait until it is delivered, save the window to FILE (PNG) and quit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FILE</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
