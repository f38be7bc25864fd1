// SPDX-License-Identifier: MIT
#include "transport/refusal_p.h"

#include <QtCore/QDateTime>
#include <QtCore/QRegularExpression>

#include <functional>
#include <limits>

namespace QLoki::detail {

namespace {

// Loki prints timestamps two ways: the ingester with Go's time.Time.String()
// ("2006-01-02 15:04:05.999999999 -0700 MST", the zone's name and a monotonic clock reading
// " m=+0.001" may follow), the distributor's validator (too old, too new) with
// time.RFC3339 ("2006-01-02T15:04:05Z" or "...+01:00").
constexpr auto TimePattern =
        R"((\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:\.\d{1,9})?(?: [+-]\d{4}|Z|[+-]\d\d:\d\d))(?: [^\s,']+)?(?: m=[+-][\d.]+)?)";

qint64 parseGoTime(const QString &text)
{
    static const QRegularExpression rx(QStringLiteral(
            R"(^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(?: ?([+-])(\d\d):?(\d\d)|Z)$)"));
    const QRegularExpressionMatch m = rx.match(text);
    if (!m.hasMatch())
        return std::numeric_limits<qint64>::min();
    const QDateTime local = QDateTime::fromString(m.captured(1) + QLatin1Char(' ') + m.captured(2),
                                                  QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    if (!local.isValid())
        return std::numeric_limits<qint64>::min();
    // "Z" leaves the sign empty: UTC.
    const int offset = (m.captured(5).toInt() * 60 + m.captured(6).toInt()) * 60
            * (m.captured(4) == QLatin1String("-") ? -1 : 1);
    const QDateTime t(local.date(), local.time(), Qt::OffsetFromUTC, offset);
    const QString fraction = m.captured(3).leftJustified(9, QLatin1Char('0'));
    return t.toSecsSinceEpoch() * 1000000000LL + fraction.toLongLong();
}

// `{a="b", c="d"}` as Loki names a stream; false when it is not one.
bool parseLabels(const QString &text, LabelList *out)
{
    out->clear();
    if (!text.startsWith(QLatin1Char('{')) || !text.endsWith(QLatin1Char('}')))
        return false;
    qsizetype i = 1;
    const qsizetype end = text.size() - 1;
    while (i < end) {
        while (i < end && (text[i] == QLatin1Char(' ') || text[i] == QLatin1Char(',')))
            ++i;
        const qsizetype eq = text.indexOf(QLatin1Char('='), i);
        if (eq < 0 || eq + 1 >= end || text[eq + 1] != QLatin1Char('"'))
            return i >= end;
        const QString name = text.mid(i, eq - i);
        QString value;
        i = eq + 2;
        while (i < end && text[i] != QLatin1Char('"')) {
            if (text[i] == QLatin1Char('\\') && i + 1 < end) {
                ++i;
                value += text[i] == QLatin1Char('n') ? QChar(u'\n') : text[i];
            } else {
                value += text[i];
            }
            ++i;
        }
        ++i; // the closing quote
        out->append({name, value});
    }
    return true;
}

class Marks
{
public:
    explicit Marks(const PushBatch &batch)
        : m_batch(batch)
    {
        for (const WireStream &s : batch.streams)
            m_marked.append(QList<bool>(s.entries.size(), false));
    }

    //! The stream Loki named by \a labelText: the batch stream all of whose labels it
    //! carries (Loki 3 may add its own, such as service_name), the most specific one.
    int streamOf(const QString &labelText) const
    {
        LabelList named;
        if (!parseLabels(labelText, &named))
            return -1;
        int best = -1;
        qsizetype bestSize = -1;
        for (int s = 0; s < m_batch.streams.size(); ++s) {
            const LabelList &labels = m_batch.streams[s].labels;
            bool all = true;
            for (const auto &label : labels)
                all = all && named.contains(label);
            if (all && labels.size() > bestSize) {
                best = s;
                bestSize = labels.size();
            }
        }
        return best;
    }

    using Predicate = std::function<bool(const WireEntry &)>;
    /*!
        Marks the entries of \a stream (every stream when < 0) for which \a pred holds, then
        unmarked ones (from the newest when \a newestFirst) until \a atLeast carry this
        reason; with \a total, entries of the stream marked before count towards it (a
        total that covers reasons listed before it).
    */
    void mark(int stream, const Predicate &pred, int atLeast, bool newestFirst = false,
              bool total = false)
    {
        int matched = 0;
        forEach(stream, newestFirst, [&](int s, int e) {
            if (m_cap >= 0 && matched >= m_cap)
                return;
            if (pred && pred(m_batch.streams[s].entries[e])) {
                if (!m_marked[s][e] || !total)
                    ++matched;
                set(s, e);
            } else if (total && m_marked[s][e]) {
                ++matched;
            }
        });
        forEach(stream, newestFirst, [&](int s, int e) {
            if (matched < atLeast && !m_marked[s][e]) {
                ++matched;
                set(s, e);
            }
        });
    }

    int count() const { return m_count; }
    /*!
        At most \a cap entries for the next per-entry reason (-1: no cap). Loki counts the
        entries behind "N errors like" exactly, while its times have whole seconds: of the
        entries of that second, the oldest (too old) or newest (too new) N are taken.
    */
    void setCap(int cap) { m_cap = cap; }

private:
    template<typename F>
    void forEach(int stream, bool newestFirst, F &&f) const
    {
        for (int s = 0; s < m_batch.streams.size(); ++s) {
            if (stream >= 0 && s != stream)
                continue;
            const int n = int(m_batch.streams[s].entries.size());
            for (int i = 0; i < n; ++i)
                f(s, newestFirst ? n - 1 - i : i);
        }
    }
    void set(int s, int e)
    {
        if (!m_marked[s][e]) {
            m_marked[s][e] = true;
            ++m_count;
        }
    }

    const PushBatch &m_batch;
    QList<QList<bool>> m_marked;
    int m_count = 0;
    int m_cap = -1;
};

qint64 metadataBytes(const WireEntry &entry)
{
    qint64 size = 0;
    entry.forEachMetadata([&size](QByteArrayView name, QByteArrayView value) {
        size += name.size() + value.size();
    });
    return size;
}

struct Rule
{
    QRegularExpression rx;
    RefusalCode code;
    //! Per entry, so that "N errors like" counts entries (else streams, or a total).
    bool perEntry;
    // Marks what one match refused; \a n is the "N errors like" count (1 without one).
    std::function<void(const QRegularExpressionMatch &, int n, Marks &)> apply;
};

const QList<Rule> &rules()
{
    const auto re = [](const QString &pattern) {
        // Every message may come grouped as "N errors like: <message>".
        return QRegularExpression(QStringLiteral(R"((?:(\d+) errors like: )?)") + pattern);
    };
    static const QString stream = QStringLiteral(R"('(\{.*?\})')");
    static const QString time = QString::fromLatin1(TimePattern);
    static const QList<Rule> all = {
        {re(QStringLiteral(R"(Max entry size '(\d+)' bytes exceeded for stream )") + stream),
         RefusalCode::LineTooLong, true,
         [](const QRegularExpressionMatch &m, int n, Marks &marks) {
             const qsizetype limit = m.captured(2).toLongLong();
             marks.mark(marks.streamOf(m.captured(3)),
                        [limit](const WireEntry &e) { return e.line().size() > limit; }, n);
         }},
        {re(QStringLiteral("entry for stream ") + stream + QStringLiteral(" has timestamp too old: ")
            + time + QStringLiteral(", oldest acceptable timestamp is: ") + time),
         RefusalCode::TooOld, true,
         [](const QRegularExpressionMatch &m, int n, Marks &marks) {
             const qint64 oldest = parseGoTime(m.captured(4));
             marks.mark(marks.streamOf(m.captured(2)),
                        [oldest](const WireEntry &e) { return e.timestampNs < oldest; }, n);
         }},
        {re(QStringLiteral("entry for stream ") + stream + QStringLiteral(" has timestamp too new: ")
            + time),
         RefusalCode::TooNew, true,
         [](const QRegularExpressionMatch &m, int n, Marks &marks) {
             const qint64 at = parseGoTime(m.captured(3));
             marks.mark(marks.streamOf(m.captured(2)),
                        [at](const WireEntry &e) { return e.timestampNs >= at; }, n, true);
         }},
        // The ingester lists entries it ignored (out of order, too far behind).
        {re(QStringLiteral("entry with timestamp ") + time + QStringLiteral(" ignored")),
         RefusalCode::TooOld, false,
         [](const QRegularExpressionMatch &m, int, Marks &marks) {
             const qint64 at = parseGoTime(m.captured(2));
             marks.mark(-1, [at](const WireEntry &e) { return e.timestampNs == at; }, 0);
         }},
        {re(QStringLiteral(R"(total ignored: (\d+) out of \d+ for stream: (\{.*\}))")),
         RefusalCode::TooOld, false,
         [](const QRegularExpressionMatch &m, int, Marks &marks) {
             marks.mark(marks.streamOf(m.captured(3)), {}, m.captured(2).toInt(), false, true);
         }},
        {re(QStringLiteral("stream ") + stream
            + QStringLiteral(" includes structured metadata, but this feature is disallowed")),
         RefusalCode::MetadataDisallowed, false,
         [](const QRegularExpressionMatch &m, int n, Marks &marks) {
             marks.mark(marks.streamOf(m.captured(2)),
                        [](const WireEntry &e) { return e.hasMetadata(); }, n);
         }},
        {re(QStringLiteral("stream ") + stream
            + QStringLiteral(R"( has structured metadata too large: '\d+' bytes, limit: '(\d+)' bytes)")),
         RefusalCode::MetadataTooLarge, true,
         [](const QRegularExpressionMatch &m, int n, Marks &marks) {
             const qint64 limit = m.captured(3).toLongLong();
             marks.mark(marks.streamOf(m.captured(2)),
                        [limit](const WireEntry &e) { return metadataBytes(e) > limit; }, n);
         }},
        {re(QStringLiteral("stream ") + stream
            + QStringLiteral(R"( has too many structured metadata labels: '\d+', limit: '(\d+)')")),
         RefusalCode::MetadataTooLarge, true,
         [](const QRegularExpressionMatch &m, int n, Marks &marks) {
             const int limit = m.captured(3).toInt();
             marks.mark(marks.streamOf(m.captured(2)),
                        [limit](const WireEntry &e) { return e.metadataCount() > limit; }, n);
         }},
        // Stream-level reasons refuse every entry of the stream.
        {re(QStringLiteral("(?:entry for )?stream ") + stream
            + QStringLiteral(R"( has (?:\d+ label names; limit \d+|label name too long|label value too long|duplicate label name))")),
         RefusalCode::Labels, false,
         [](const QRegularExpressionMatch &m, int n, Marks &marks) {
             const int s = marks.streamOf(m.captured(2));
             marks.mark(s, [s](const WireEntry &) { return s >= 0; }, s >= 0 ? 0 : n);
         }},
        {re(QStringLiteral(R"(Error parsing labels '(.*?)' with error)")),
         RefusalCode::Labels, false,
         [](const QRegularExpressionMatch &m, int n, Marks &marks) {
             const int s = marks.streamOf(m.captured(2));
             marks.mark(s, [s](const WireEntry &) { return s >= 0; }, s >= 0 ? 0 : n);
         }},
    };
    return all;
}

} // namespace

RefusalReading readRefusal(int status, const QByteArray &body, const PushBatch &batch)
{
    RefusalReading reading;
    const int total = batch.entryCount();
    const QString text = QString::fromUtf8(body).trimmed();
    reading.reason = text.section(QLatin1Char('\n'), 0, 0).left(512);
    reading.refused = total;
    if (status == 260) {
        reading.code = RefusalCode::Blocked;
        reading.exact = true; // stores nothing
        return reading;
    }
    if (status != 400)
        return reading;

    // Loki 2.8 cannot parse a JSON value with a third element (structured metadata): the
    // push was lost as a whole, nothing of it is stored.
    if (text.contains(QLatin1String("loghttp.PushRequest"))
        && text.contains(QLatin1String("unmarshalerDecoder"))) {
        bool metadata = false;
        for (const WireStream &s : batch.streams)
            for (const WireEntry &e : s.entries)
                metadata = metadata || e.hasMetadata();
        reading.metadataDisallowed = metadata;
        reading.code = metadata ? RefusalCode::MetadataDisallowed : RefusalCode::Other;
        reading.exact = true;
        return reading;
    }

    Marks marks(batch);
    qsizetype first = -1;
    for (const Rule &rule : rules()) {
        QRegularExpressionMatchIterator it = rule.rx.globalMatch(text);
        while (it.hasNext()) {
            const QRegularExpressionMatch m = it.next();
            const bool counted = !m.captured(1).isEmpty();
            const int n = counted ? qMax(1, m.captured(1).toInt()) : 1;
            marks.setCap(counted && rule.perEntry ? n : -1);
            rule.apply(m, n, marks);
            if (rule.code == RefusalCode::MetadataDisallowed)
                reading.metadataDisallowed = true;
            if (first < 0 || m.capturedStart() < first) {
                first = m.capturedStart();
                reading.code = rule.code;
            }
        }
    }
    if (first < 0)
        return reading; // no reason Loki is known to give: the whole batch
    reading.exact = true;
    reading.refused = qMin(total, marks.count());
    return reading;
}

} // namespace QLoki::detail
