<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>ConsoleWindow</name>
    <message numerus="yes">
        <source>Events (newest first, the last %n)</source>
        <translation>
            <numerusform>Events (newest first, the last %n)</numerusform>
            <numerusform>Events (newest first, the last %n)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n entries stored</source>
        <translation>
            <numerusform>%n entry stored</numerusform>
            <numerusform>%n entries stored</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pushes</source>
        <translation>
            <numerusform>%n push</numerusform>
            <numerusform>%n pushes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FaultsPanel</name>
    <message numerus="yes">
        <source>The receiver refuses connections for %n second(s), then comes back.</source>
        <translation>
            <numerusform>The receiver refuses connections for %n second, then comes back.</numerusform>
            <numerusform>The receiver refuses connections for %n seconds, then comes back.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The next %n push(es) are answered with HTTP %1.</source>
        <translation>
            <numerusform>The next push is answered with HTTP %1.</numerusform>
            <numerusform>The next %n pushes are answered with HTTP %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The next %n push(es) are answered with 429 and Retry-After: %1 s.</source>
        <translation>
            <numerusform>The next push is answered with 429 and Retry-After: %1 s.</numerusform>
            <numerusform>The next %n pushes are answered with 429 and Retry-After: %1 s.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>the next %n push(es) get %1 with Retry-After %2 s</source>
        <translation>
            <numerusform>the next push gets %1 with Retry-After %2 s</numerusform>
            <numerusform>the next %n pushes get %1 with Retry-After %2 s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>the next %n push(es) get %1</source>
        <translation>
            <numerusform>the next push gets %1</numerusform>
            <numerusform>the next %n pushes get %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>the next %n connection(s) are dropped</source>
        <translation>
            <numerusform>the next connection is dropped</numerusform>
            <numerusform>the next %n connections are dropped</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReadBackPanel</name>
    <message numerus="yes">
        <source>%n entries</source>
        <translation>
            <numerusform>%n entry</numerusform>
            <numerusform>%n entries</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SendPanel</name>
    <message numerus="yes">
        <source>Stopping at %1 logged: %n call(s) wait for room in the buffer</source>
        <translation>
            <numerusform>Stopping at %1 logged: %n call waits for room in the buffer</numerusform>
            <numerusform>Stopping at %1 logged: %n calls wait for room in the buffer</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n entries logged</source>
        <translation>
            <numerusform>%1 of %n entry logged</numerusform>
            <numerusform>%1 of %n entries logged</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StatusPanel</name>
    <message numerus="yes">
        <source>%1 of %n entries</source>
        <translation>
            <numerusform>%1 of %n entry</numerusform>
            <numerusform>%1 of %n entries</numerusform>
        </translation>
    </message>
</context>
</TS>
