<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AccessBox</name>
    <message>
        <source>Access</source>
        <translation>访问</translation>
    </message>
    <message>
        <source>Do not verify the server&apos;s certificate (insecure)</source>
        <translation>不验证服务器证书（不安全）</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Basic auth (user and password)</source>
        <translation>基本认证（用户名和密码）</translation>
    </message>
    <message>
        <source>Bearer token</source>
        <translation>Bearer 令牌</translation>
    </message>
    <message>
        <source>Grafana Cloud: the instance ID</source>
        <translation>Grafana Cloud：实例 ID</translation>
    </message>
    <message>
        <source>Grafana Cloud: an access policy token</source>
        <translation>Grafana Cloud：访问策略令牌</translation>
    </message>
    <message>
        <source>The server&apos;s certificate is not checked: anyone on the way to this URL can read the logs and the credentials, and answer in Loki&apos;s place. For development only.</source>
        <translation>不检查服务器证书：通往此 URL 途中的任何人都能读取日志和凭据，并冒充 Loki 应答。仅用于开发。</translation>
    </message>
    <message>
        <source>PEM certificates (*.pem *.crt);;All files (*)</source>
        <translation>PEM 证书 (*.pem *.crt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>PEM keys (*.pem *.key);;All files (*)</source>
        <translation>PEM 密钥 (*.pem *.key);;所有文件 (*)</translation>
    </message>
    <message>
        <source>in addition to the system&apos;s CAs</source>
        <translation>在系统 CA 之外另行信任</translation>
    </message>
    <message>
        <source>unencrypted PEM</source>
        <translation>未加密的 PEM</translation>
    </message>
    <message>
        <source>Authentication:</source>
        <translation>认证方式：</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Token:</source>
        <translation>令牌：</translation>
    </message>
    <message>
        <source>CA file:</source>
        <translation>CA 文件：</translation>
    </message>
    <message>
        <source>Client certificate:</source>
        <translation>客户端证书：</translation>
    </message>
    <message>
        <source>Client key:</source>
        <translation>客户端私钥：</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Choose a file</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <source>The password and the token are kept in the system keychain, never in the settings file.</source>
        <translation>密码和令牌保存在系统钥匙串中，绝不写入设置文件。</translation>
    </message>
    <message>
        <source>No keychain is available: the password and the token are kept for this session only, never in the settings file.</source>
        <translation>没有可用的钥匙串：密码和令牌仅在本次会话中保留，绝不写入设置文件。</translation>
    </message>
</context>
<context>
    <name>ConnectionPanel</name>
    <message>
        <source>Use external Loki</source>
        <translation>使用外部 Loki</translation>
    </message>
    <message>
        <source>Keep failed batches in the offline buffer</source>
        <translation>将失败的批次保留在离线缓冲区</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Send to the URL below instead of the console&apos;s built-in receiver</source>
        <translation>发送到下面的 URL，而不是控制台内置的接收器</translation>
    </message>
    <message>
        <source>none (X-Scope-OrgID)</source>
        <translation>无（X-Scope-OrgID）</translation>
    </message>
    <message>
        <source>Protobuf + snappy</source>
        <translation>Protobuf + snappy</translation>
    </message>
    <message>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <source>JSON + gzip</source>
        <translation>JSON + gzip</translation>
    </message>
    <message>
        <source> KiB</source>
        <translation> KiB</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> 毫秒</translation>
    </message>
    <message>
        <source>Drop oldest</source>
        <translation>丢弃最旧的</translation>
    </message>
    <message>
        <source>Drop newest</source>
        <translation>丢弃最新的</translation>
    </message>
    <message>
        <source>Block the caller</source>
        <translation>阻塞调用方</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Endpoint URL:</source>
        <translation>端点 URL：</translation>
    </message>
    <message>
        <source>Tenant:</source>
        <translation>租户：</translation>
    </message>
    <message>
        <source>App name:</source>
        <translation>应用名称：</translation>
    </message>
    <message>
        <source>Environment:</source>
        <translation>环境：</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <source>Batching and retries</source>
        <translation>批处理与重试</translation>
    </message>
    <message>
        <source>Batch entries:</source>
        <translation>每批条目数：</translation>
    </message>
    <message>
        <source>Batch bytes:</source>
        <translation>每批字节数：</translation>
    </message>
    <message>
        <source>Flush interval:</source>
        <translation>刷新间隔：</translation>
    </message>
    <message>
        <source>Max retries:</source>
        <translation>最大重试次数：</translation>
    </message>
    <message>
        <source>First retry after:</source>
        <translation>首次重试延迟：</translation>
    </message>
    <message>
        <source>Longest retry delay:</source>
        <translation>最长重试延迟：</translation>
    </message>
    <message>
        <source>Buffer size:</source>
        <translation>缓冲区大小：</translation>
    </message>
    <message>
        <source>When full:</source>
        <translation>缓冲区满时：</translation>
    </message>
    <message>
        <source>Static labels</source>
        <translation>静态标签</translation>
    </message>
    <message>
        <source>Loki&apos;s base URL or its /loki/api/v1/push URL</source>
        <translation>Loki 的基础 URL 或其 /loki/api/v1/push URL</translation>
    </message>
    <message>
        <source>The console&apos;s built-in receiver</source>
        <translation>控制台内置的接收器</translation>
    </message>
    <message>
        <source>Capture this console&apos;s Qt messages</source>
        <translation>捕获本控制台的 Qt 消息</translation>
    </message>
    <message>
        <source>Send qDebug(), qInfo(), qWarning() and qCritical() of this program to Loki too</source>
        <translation>将本程序的 qDebug()、qInfo()、qWarning() 和 qCritical() 也发送到 Loki</translation>
    </message>
    <message>
        <source>Debug</source>
        <translation>调试</translation>
    </message>
    <message>
        <source>Info</source>
        <translation>信息</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Critical</source>
        <translation>严重</translation>
    </message>
    <message>
        <source>Entries below this level are not sent on their own; with context on error they wait in the context ring</source>
        <translation>低于此级别的条目不会单独发送；开启错误上下文时，它们在上下文环中等待</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source> entries</source>
        <translation> 条</translation>
    </message>
    <message>
        <source>The last entries below the minimum level, kept and sent before each error (with context_for and context_id metadata); less than the buffer size</source>
        <translation>低于最低级别的最近条目，保留下来并在每个错误之前发送（带 context_for 和 context_id 元数据）；须小于缓冲区大小</translation>
    </message>
    <message>
        <source>Minimum level:</source>
        <translation>最低级别：</translation>
    </message>
    <message>
        <source>Context on error:</source>
        <translation>错误上下文：</translation>
    </message>
</context>
<context>
    <name>ConsoleWindow</name>
    <message>
        <source>Loki Console</source>
        <translation>Loki 控制台</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Faults</source>
        <translation>故障</translation>
    </message>
    <message>
        <source>Read back</source>
        <translation>回读</translation>
    </message>
    <message>
        <source>Stop the burst first</source>
        <translation>请先停止突发发送</translation>
    </message>
    <message>
        <source>Stop the burst first.</source>
        <translation>请先停止突发发送。</translation>
    </message>
    <message>
        <source>The built-in receiver could not start: %1</source>
        <translation>内置接收器无法启动：%1</translation>
    </message>
    <message>
        <source>Entry sent.</source>
        <translation>条目已发送。</translation>
    </message>
    <message>
        <source>Built-in receiver not running: %1</source>
        <translation>内置接收器未运行：%1</translation>
    </message>
    <message>
        <source>Sending to the built-in receiver</source>
        <translation>正在发送到内置接收器</translation>
    </message>
    <message>
        <source>Sending to %1</source>
        <translation>正在发送到 %1</translation>
    </message>
    <message>
        <source>Qt messages cannot be captured: the logger is not running.</source>
        <translation>无法捕获 Qt 消息：日志记录器未运行。</translation>
    </message>
    <message numerus="yes">
        <source>Events (newest first, the last %Ln)</source>
        <translation>
            <numerusform>事件（最新在前，最近 %Ln 条）</numerusform>
        </translation>
    </message>
    <message>
        <source>The built-in receiver is still starting.</source>
        <translation>内置接收器仍在启动中。</translation>
    </message>
    <message>
        <source>Applied. Checking %1…</source>
        <translation>已应用。正在检查 %1…</translation>
    </message>
    <message>
        <source>%1 · built-in receiver at %2: %3, %4</source>
        <translation>%1 · 内置接收器位于 %2：%3，%4</translation>
    </message>
    <message numerus="yes">
        <source>%Ln entries stored</source>
        <translation>
            <numerusform>已存储 %Ln 条</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln pushes</source>
        <translation>
            <numerusform>%Ln 次推送</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EventModel</name>
    <message>
        <source>delivered</source>
        <translation>已送达</translation>
    </message>
    <message>
        <source>failed, will retry</source>
        <translation>失败，将重试</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>dropped</source>
        <translation>已丢弃</translation>
    </message>
    <message>
        <source>network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Entries</source>
        <translation>条目数</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>字节</translation>
    </message>
    <message>
        <source>HTTP</source>
        <translation>HTTP</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>延迟</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Refusal</source>
        <translation>拒绝原因</translation>
    </message>
</context>
<context>
    <name>FaultsPanel</name>
    <message>
        <source>Faults act on the built-in receiver only; uncheck &quot;Use external Loki&quot; on the Connection tab to use them.</source>
        <translation>故障注入仅作用于内置接收器；要使用它，请在“连接”页取消勾选“使用外部 Loki”。</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> 毫秒</translation>
    </message>
    <message>
        <source>Go offline</source>
        <translation>下线</translation>
    </message>
    <message>
        <source>Fail pushes</source>
        <translation>使推送失败</translation>
    </message>
    <message>
        <source>Send 429</source>
        <translation>返回 429</translation>
    </message>
    <message>
        <source>Set latency</source>
        <translation>设置延迟</translation>
    </message>
    <message>
        <source>Clear all faults</source>
        <translation>清除所有故障</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>当前状态</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>offline, back in %1 s</source>
        <translation>离线，%1 秒后恢复</translation>
    </message>
    <message>
        <source>answers delayed by %1 ms</source>
        <translation>应答延迟 %1 毫秒</translation>
    </message>
    <message>
        <source>No faults: the receiver answers normally.</source>
        <translation>无故障：接收器正常应答。</translation>
    </message>
    <message>
        <source>Outage</source>
        <translation>中断</translation>
    </message>
    <message>
        <source>Failing pushes</source>
        <translation>推送失败</translation>
    </message>
    <message>
        <source>Rate limiting</source>
        <translation>限流</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>延迟</translation>
    </message>
    <message>
        <source>Duration:</source>
        <translation>时长：</translation>
    </message>
    <message>
        <source>Pushes:</source>
        <translation>推送次数：</translation>
    </message>
    <message>
        <source>HTTP status:</source>
        <translation>HTTP 状态码：</translation>
    </message>
    <message>
        <source>Retry-After:</source>
        <translation>Retry-After：</translation>
    </message>
    <message>
        <source>Delay:</source>
        <translation>延迟：</translation>
    </message>
    <message numerus="yes">
        <source>The receiver refuses connections for %Ln second(s), then comes back.</source>
        <translation>
            <numerusform>接收器将在 %Ln 秒内拒绝连接，然后恢复。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The next %Ln push(es) are answered with HTTP %1.</source>
        <translation>
            <numerusform>接下来的 %Ln 次推送将以 HTTP %1 应答。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The next %Ln push(es) are answered with 429 and Retry-After: %1 s.</source>
        <translation>
            <numerusform>接下来的 %Ln 次推送将以 429 应答，Retry-After 为 %1 秒。</numerusform>
        </translation>
    </message>
    <message>
        <source>Every push is answered %1 ms late.</source>
        <translation>每次推送都延迟 %1 毫秒应答。</translation>
    </message>
    <message numerus="yes">
        <source>the next %Ln push(es) get %1 with Retry-After %2 s</source>
        <translation>
            <numerusform>接下来的 %Ln 次推送返回 %1，Retry-After 为 %2 秒</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>the next %Ln push(es) get %1</source>
        <translation>
            <numerusform>接下来的 %Ln 次推送返回 %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>the next %Ln connection(s) are dropped</source>
        <translation>
            <numerusform>接下来的 %Ln 个连接将被断开</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>KeyValueTable</name>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>LogQuery</name>
    <message>
        <source>The answer is not JSON: %1</source>
        <translation>应答不是 JSON：%1</translation>
    </message>
    <message>
        <source>Loki answered: %1</source>
        <translation>Loki 应答：%1</translation>
    </message>
    <message>
        <source>Expected log streams, got &quot;%1&quot;; use a log query.</source>
        <translation>期望日志流，却得到“%1”；请使用日志查询。</translation>
    </message>
    <message>
        <source>HTTP %1: %2</source>
        <translation>HTTP %1：%2</translation>
    </message>
</context>
<context>
    <name>LokiAccess</name>
    <message>
        <source>The CA file %1 holds no PEM certificate.</source>
        <translation>CA 文件 %1 中没有 PEM 证书。</translation>
    </message>
    <message>
        <source>The client certificate file %1 holds no PEM certificate.</source>
        <translation>客户端证书文件 %1 中没有 PEM 证书。</translation>
    </message>
    <message>
        <source>The client key file %1 holds no unencrypted PEM private key.</source>
        <translation>客户端私钥文件 %1 中没有未加密的 PEM 私钥。</translation>
    </message>
</context>
<context>
    <name>RateChart</name>
    <message>
        <source>Entries per second (last 60 s)</source>
        <translation>每秒条目数（最近 60 秒）</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>已接受</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>已送达</translation>
    </message>
    <message>
        <source>seconds ago</source>
        <translation>秒前</translation>
    </message>
</context>
<context>
    <name>ReadBackPanel</name>
    <message>
        <source>Query</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>LogQL, e.g. {app=&quot;loki-console&quot;} |= &quot;error&quot;</source>
        <translation>LogQL，例如 {app=&quot;loki-console&quot;} |= &quot;error&quot;</translation>
    </message>
    <message>
        <source>Last 5 minutes</source>
        <translation>最近 5 分钟</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>最近 1 小时</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>最近 24 小时</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>日志行</translation>
    </message>
    <message>
        <source>Metadata</source>
        <translation>元数据</translation>
    </message>
    <message numerus="yes">
        <source>%Ln entries</source>
        <translation>
            <numerusform>%Ln 条</numerusform>
        </translation>
    </message>
    <message>
        <source>Querying…</source>
        <translation>正在查询…</translation>
    </message>
    <message>
        <source>Limit:</source>
        <translation>上限：</translation>
    </message>
</context>
<context>
    <name>ReadyCheck</name>
    <message>
        <source>Applied. Loki answers at %1.</source>
        <translation>已应用。Loki 在 %1 应答。</translation>
    </message>
    <message>
        <source>Applied. Loki %1 answers at %2.</source>
        <translation>已应用。Loki %1 在 %2 应答。</translation>
    </message>
    <message>
        <source>Applied, but Loki at %1 refused the credentials (HTTP %2): %3</source>
        <translation>已应用，但 %1 处的 Loki 拒绝了凭据（HTTP %2）：%3</translation>
    </message>
    <message>
        <source>Applied, but Loki at %1 is not ready (HTTP %2): %3</source>
        <translation>已应用，但 %1 处的 Loki 尚未就绪（HTTP %2）：%3</translation>
    </message>
    <message>
        <source>Applied, but the TLS handshake with %1 failed: %2</source>
        <translation>已应用，但与 %1 的 TLS 握手失败：%2</translation>
    </message>
    <message>
        <source>Applied, but Loki at %1 is unreachable: %2</source>
        <translation>已应用，但无法连接 %1 处的 Loki：%2</translation>
    </message>
</context>
<context>
    <name>ScreenshotTour</name>
    <message>
        <source>Cannot write %1</source>
        <translation>无法写入 %1</translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation>已写入 %1</translation>
    </message>
    <message>
        <source>Wrote %1, but not every entry was delivered</source>
        <translation>已写入 %1，但并非所有条目都已送达</translation>
    </message>
</context>
<context>
    <name>SendPanel</name>
    <message>
        <source>Hello from the Loki Console</source>
        <translation>来自 Loki 控制台的问候</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Debug</source>
        <translation>调试</translation>
    </message>
    <message>
        <source>Info</source>
        <translation>信息</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Critical</source>
        <translation>严重</translation>
    </message>
    <message>
        <source>Stream labels: keep them few and low-cardinality</source>
        <translation>流标签：数量要少，基数要低</translation>
    </message>
    <message>
        <source>Structured metadata: per-entry values such as ids</source>
        <translation>结构化元数据：每条目各自的值，例如 ID</translation>
    </message>
    <message>
        <source> /s</source>
        <translation> 条/秒</translation>
    </message>
    <message>
        <source>full speed</source>
        <translation>全速</translation>
    </message>
    <message>
        <source>Entry</source>
        <translation>条目</translation>
    </message>
    <message>
        <source>Level:</source>
        <translation>级别：</translation>
    </message>
    <message>
        <source>Message:</source>
        <translation>消息：</translation>
    </message>
    <message>
        <source>Labels:</source>
        <translation>标签：</translation>
    </message>
    <message>
        <source>Metadata:</source>
        <translation>元数据：</translation>
    </message>
    <message>
        <source>Burst</source>
        <translation>突发发送</translation>
    </message>
    <message>
        <source>Entries:</source>
        <translation>条目数：</translation>
    </message>
    <message>
        <source>Rate:</source>
        <translation>速率：</translation>
    </message>
    <message>
        <source>Threads:</source>
        <translation>线程数：</translation>
    </message>
    <message>
        <source>No burst yet</source>
        <translation>尚无突发</translation>
    </message>
    <message numerus="yes">
        <source>Stopping at %1 logged: %Ln call(s) wait for room in the buffer</source>
        <translation>
            <numerusform>正在停止，已记录 %1 条：%Ln 个调用正在等待缓冲区空间</numerusform>
        </translation>
    </message>
    <message>
        <source>Stopping at %1 logged</source>
        <translation>正在停止，已记录 %1 条</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %Ln entries logged</source>
        <translation>
            <numerusform>已记录 %1 / %Ln 条</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StateBadge</name>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>Retrying</source>
        <translation>重试中</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
</context>
<context>
    <name>StatusPanel</name>
    <message>
        <source>Dropped, buffer full:</source>
        <translation>丢弃（缓冲区满）：</translation>
    </message>
    <message>
        <source>Dropped, rejected:</source>
        <translation>丢弃（被拒绝）：</translation>
    </message>
    <message>
        <source>Dropped, retries exhausted:</source>
        <translation>丢弃（重试耗尽）：</translation>
    </message>
    <message>
        <source>Dropped at shutdown:</source>
        <translation>丢弃（关闭时）：</translation>
    </message>
    <message>
        <source>Dropped, invalid:</source>
        <translation>丢弃（无效）：</translation>
    </message>
    <message>
        <source>Entries waiting for a retry or the next flush, of the buffer size</source>
        <translation>等待重试或下次刷新的条目数 / 缓冲区大小</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>投递</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>Buffered:</source>
        <translation>已缓冲：</translation>
    </message>
    <message>
        <source>In flight:</source>
        <translation>发送中：</translation>
    </message>
    <message>
        <source>Next retry:</source>
        <translation>下次重试：</translation>
    </message>
    <message>
        <source>Last error:</source>
        <translation>最近错误：</translation>
    </message>
    <message>
        <source>Counters</source>
        <translation>计数器</translation>
    </message>
    <message>
        <source>Accepted:</source>
        <translation>已接受：</translation>
    </message>
    <message>
        <source>Delivered:</source>
        <translation>已送达：</translation>
    </message>
    <message>
        <source>Pending:</source>
        <translation>待处理：</translation>
    </message>
    <message>
        <source>Retries:</source>
        <translation>重试次数：</translation>
    </message>
    <message>
        <source>Bytes sent:</source>
        <translation>已发送字节：</translation>
    </message>
    <message>
        <source>Batches delivered:</source>
        <translation>已送达批次：</translation>
    </message>
    <message>
        <source>Failed tries:</source>
        <translation>失败尝试：</translation>
    </message>
    <message>
        <source>Redacted:</source>
        <translation>已脱敏：</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>none scheduled</source>
        <translation>未安排</translation>
    </message>
    <message>
        <source>now</source>
        <translation>现在</translation>
    </message>
    <message>
        <source>in %1 s</source>
        <translation>%1 秒后</translation>
    </message>
    <message>
        <source>Memory the pending entries hold (lines and metadata), of the buffer&apos;s byte bound; whichever bound is reached first applies the overflow policy</source>
        <translation>待处理条目占用的内存（日志行和元数据）/ 缓冲区的字节上限；条目数或字节数先达上限者触发溢出策略</translation>
    </message>
    <message>
        <source>Memory held:</source>
        <translation>占用内存：</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %Ln entries</source>
        <translation>
            <numerusform>%1 / %Ln 条</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>trying now</source>
        <translation>正在尝试</translation>
    </message>
    <message>
        <source>Lines over Loki&apos;s max_line_size: lower maxLineBytes to match</source>
        <translation>行超过 Loki 的 max_line_size：请相应调低 maxLineBytes</translation>
    </message>
    <message>
        <source>Timestamps older than Loki accepts (reject_old_samples)</source>
        <translation>时间戳早于 Loki 接受的范围（reject_old_samples）</translation>
    </message>
    <message>
        <source>Timestamps too far in the future: check this machine&apos;s clock</source>
        <translation>时间戳太靠后：请检查本机时钟</translation>
    </message>
    <message>
        <source>Label names or values Loki refuses (too many, too long, invalid)</source>
        <translation>Loki 拒绝的标签名或标签值（过多、过长或无效）</translation>
    </message>
    <message>
        <source>Loki does not allow structured metadata for this tenant</source>
        <translation>Loki 不允许此租户使用结构化元数据</translation>
    </message>
    <message>
        <source>Structured metadata over Loki&apos;s size or count limit</source>
        <translation>结构化元数据超过 Loki 的大小或数量限制</translation>
    </message>
    <message>
        <source>The tenant&apos;s ingestion rate limit</source>
        <translation>租户的写入速率限制</translation>
    </message>
    <message>
        <source>Ingestion blocked for the tenant (HTTP 260)</source>
        <translation>租户的写入已被阻止（HTTP 260）</translation>
    </message>
    <message>
        <source>A reason QLoki does not know; see the Events panel</source>
        <translation>QLoki 不认识的原因；请查看事件面板</translation>
    </message>
    <message>
        <source>Context shipped:</source>
        <translation>已发送上下文：</translation>
    </message>
    <message>
        <source>Context overwritten:</source>
        <translation>已覆盖上下文：</translation>
    </message>
    <message>
        <source>Entries below the minimum level sent before an error (context on error)</source>
        <translation>在错误之前发送的低于最低级别的条目（错误上下文）</translation>
    </message>
    <message>
        <source>Entries below the minimum level the context ring let go before an error came; never accepted, so not dropped</source>
        <translation>在错误到来之前被上下文环舍弃的低于最低级别的条目；从未被接受，因此不算丢弃</translation>
    </message>
    <message>
        <source>Refused, %1:</source>
        <translation>被拒绝，%1：</translation>
    </message>
    <message>
        <source>Demoted label &quot;%1&quot;:</source>
        <translation>降级的标签“%1”：</translation>
    </message>
    <message>
        <source>too many values: move it to metadata</source>
        <translation>取值过多：请改为元数据</translation>
    </message>
    <message>
        <source>Entries whose &quot;%1&quot; went as structured metadata because the label had more distinct values per hour than the cardinality guard allows; a label per id makes a stream per id in Loki</source>
        <translation>因该标签每小时的不同取值超过基数保护的上限，“%1”作为结构化元数据发送的条目；每个 id 一个标签会让 Loki 为每个 id 建一个流</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Send test logs to Loki and watch delivery.</source>
        <translation>向 Loki 发送测试日志并观察投递情况。</translation>
    </message>
    <message>
        <source>Use the translation for LOCALE (e.g. zh_CN).</source>
        <translation>使用 LOCALE 的翻译（例如 zh_CN）。</translation>
    </message>
    <message>
        <source>LOCALE</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>Send a small burst, wait until it is delivered, save the window to FILE (PNG) and quit.</source>
        <translation>发送一小批突发日志，等待全部送达后将窗口保存为 FILE（PNG）并退出。</translation>
    </message>
    <message>
        <source>FILE</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Start on tab NAME: connection, send, faults or readback.</source>
        <translation>启动时显示标签页 NAME：connection、send、faults 或 readback。</translation>
    </message>
    <message>
        <source>NAME</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Unknown tab: %1</source>
        <translation>未知的标签页：%1</translation>
    </message>
</context>
</TS>
