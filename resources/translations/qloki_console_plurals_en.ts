<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>ConsoleWindow</name>
    <message numerus="yes">
        <source>Events (newest first, the last %Ln)</source>
        <translation>
            <numerusform>Events (newest first, the last %Ln)</numerusform>
            <numerusform>Events (newest first, the last %Ln)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln entries stored</source>
        <translation>
            <numerusform>%Ln entry stored</numerusform>
            <numerusform>%Ln entries stored</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln pushes</source>
        <translation>
            <numerusform>%Ln push</numerusform>
            <numerusform>%Ln pushes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FaultsPanel</name>
    <message numerus="yes">
        <source>The receiver refuses connections for %Ln second(s), then comes back.</source>
        <translation>
            <numerusform>The receiver refuses connections for %Ln second, then comes back.</numerusform>
            <numerusform>The receiver refuses connections for %Ln seconds, then comes back.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The next %Ln push(es) are answered with HTTP %1.</source>
        <translation>
            <numerusform>The next push is answered with HTTP %1.</numerusform>
            <numerusform>The next %Ln pushes are answered with HTTP %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The next %Ln push(es) are answered with 429 and Retry-After: %1 s.</source>
        <translation>
            <numerusform>The next push is answered with 429 and Retry-After: %1 s.</numerusform>
            <numerusform>The next %Ln pushes are answered with 429 and Retry-After: %1 s.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>the next %Ln push(es) get %1 with Retry-After %2 s</source>
        <translation>
            <numerusform>the next push gets %1 with Retry-After %2 s</numerusform>
            <numerusform>the next %Ln pushes get %1 with Retry-After %2 s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>the next %Ln push(es) get %1</source>
        <translation>
            <numerusform>the next push gets %1</numerusform>
            <numerusform>the next %Ln pushes get %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>the next %Ln connection(s) are dropped</source>
        <translation>
            <numerusform>the next connection is dropped</numerusform>
            <numerusform>the next %Ln connections are dropped</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReadBackPanel</name>
    <message numerus="yes">
        <source>%Ln entries</source>
        <translation>
            <numerusform>%Ln entry</numerusform>
            <numerusform>%Ln entries</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SendPanel</name>
    <message numerus="yes">
        <source>Stopping at %1 logged: %Ln call(s) wait for room in the buffer</source>
        <translation>
            <numerusform>Stopping at %1 logged: %Ln call waits for room in the buffer</numerusform>
            <numerusform>Stopping at %1 logged: %Ln calls wait for room in the buffer</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %Ln entries logged</source>
        <translation>
            <numerusform>%1 of %Ln entry logged</numerusform>
            <numerusform>%1 of %Ln entries logged</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StatusPanel</name>
    <message numerus="yes">
        <source>%1 of %Ln entries</source>
        <translation>
            <numerusform>%1 of %Ln entry</numerusform>
            <numerusform>%1 of %Ln entries</numerusform>
        </translation>
    </message>
</context>
</TS>
