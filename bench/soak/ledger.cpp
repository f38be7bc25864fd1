// SPDX-License-Identifier: MIT
#include "ledger.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

#include <set>

namespace soak {

namespace {

// "soak id=<run>:<producer>:<a|q>:<seq> ..."
bool parseId(const QString &line, int *run, int *producer, int *source, quint64 *seq)
{
    static const QString prefix = QStringLiteral("soak id=");
    if (!line.startsWith(prefix))
        return false;
    const qsizetype end = line.indexOf(QLatin1Char(' '), prefix.size());
    const QStringView id = QStringView(line).mid(prefix.size(), end < 0 ? -1 : end - prefix.size());
    const auto parts = id.split(QLatin1Char(':'));
    if (parts.size() != 4)
        return false;
    bool ok[3] = {};
    *run = parts[0].toInt(&ok[0]);
    *producer = parts[1].toInt(&ok[1]);
    *seq = parts[3].toULongLong(&ok[2]);
    if (parts[2] == QLatin1String("a"))
        *source = ApiSource;
    else if (parts[2] == QLatin1String("q"))
        *source = HookSource;
    else
        return false;
    return ok[0] && ok[1] && ok[2] && *run > 0 && *run < (1 << 24) && *producer >= 0
            && *producer < MaxProducers && *seq < (quint64(1) << 32);
}

} // namespace

void Ledger::addStoredLine(const QByteArray &jsonLine)
{
    const QJsonObject o = QJsonDocument::fromJson(jsonLine).object();
    const QString line = o.value(QLatin1String("line")).toString();
    if (line.isEmpty()) {
        ++m_malformed;
        return;
    }
    ++m_stored;
    int run = 0;
    int producer = 0;
    int source = 0;
    quint64 seq = 0;
    if (!parseId(line, &run, &producer, &source, &seq)) {
        ++m_foreign;
        if (m_foreignSamples.size() < 5)
            m_foreignSamples.append(line.left(200));
        return;
    }
    const qint64 ts = o.value(QLatin1String("ts")).toString().toLongLong();
    const uint stream = qHash(QJsonDocument(o.value(QLatin1String("stream")).toObject())
                                      .toJson(QJsonDocument::Compact));
    Track &t = m_tracks[key(run, producer, source)];
    const auto i = std::size_t(seq);
    if (t.stores.size() <= i) {
        t.stores.resize(i + 1, 0);
        t.timestamp.resize(i + 1, 0);
        t.stream.resize(i + 1, 0);
    }
    if (t.stores[i] == 0) {
        t.timestamp[i] = ts;
        t.stream[i] = stream;
    } else if (t.timestamp[i] == ts && t.stream[i] == stream) {
        ++m_dupSame;
    } else {
        ++m_dupChanged;
    }
    if (t.stores[i] < 255)
        ++t.stores[i];
}

Ledger::RunCount Ledger::count(int run, const quint64 logged[MaxProducers][SourceCount]) const
{
    RunCount c;
    for (int p = 0; p < MaxProducers; ++p) {
        for (int s = 0; s < SourceCount; ++s) {
            quint64 n = logged[p][s];
            const auto it = m_tracks.constFind(key(run, p, s));
            if (it == m_tracks.constEnd()) {
                c.logged += n;
                c.missing += n;
                c.tail += n;
                continue;
            }
            const Track &t = it.value();
            const quint64 size = t.stores.size();
            if (size > n && t.stores[n] > 0) {
                ++c.acceptedAtKill;
                ++n;
            }
            quint64 last = 0; // one past the newest stored id below n
            quint64 missingHere = 0;
            for (quint64 i = 0; i < n; ++i) {
                if (i < size && t.stores[i] > 0) {
                    ++c.delivered;
                    c.duplicates += t.stores[i] - 1u;
                    last = i + 1;
                } else {
                    ++missingHere;
                }
            }
            for (quint64 i = n; i < size; ++i) {
                if (t.stores[i] > 0) {
                    ++c.unknown;
                    c.duplicates += t.stores[i] - 1u;
                }
            }
            c.logged += n;
            c.missing += missingHere;
            c.tail += n - last;
            c.interior += missingHere - (n - last);
        }
    }
    return c;
}

QList<int> Ledger::runsSeen() const
{
    std::set<int> runs;
    for (auto it = m_tracks.cbegin(); it != m_tracks.cend(); ++it)
        runs.insert(int(it.key() / 64));
    return QList<int>(runs.begin(), runs.end());
}

} // namespace soak
