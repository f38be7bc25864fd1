// SPDX-License-Identifier: MIT
// What the receiver stored, id by id: read from its store file (one JSON line per newly
// stored entry) and held compactly, one counter per id.
#pragma once

#include "soakshared.h"

#include <QtCore/QByteArray>
#include <QtCore/QHash>
#include <QtCore/QStringList>

#include <vector>

namespace soak {

class Ledger
{
public:
    //! Reads one line of the store file (a stored entry).
    void addStoredLine(const QByteArray &jsonLine);

    //! Stored entries seen in all.
    quint64 stored() const { return m_stored; }
    //! Ids stored more than once (each extra store counted): with the same timestamp and
    //! stream (sent again after the receiver forgot it), or with another (stamped again).
    quint64 duplicatesSameEntry() const { return m_dupSame; }
    quint64 duplicatesChanged() const { return m_dupChanged; }
    //! Stored lines that are not soak entries (a Qt message of the client's own, say).
    quint64 foreign() const { return m_foreign; }
    QStringList foreignSamples() const { return m_foreignSamples; }
    //! Store lines that could not be read.
    quint64 malformed() const { return m_malformed; }

    //! One client run's ids against what it logged.
    struct RunCount
    {
        quint64 logged = 0; //!< ids whose logging call returned (plus those found beyond)
        quint64 delivered = 0; //!< distinct ids stored
        quint64 missing = 0; //!< logged ids never stored
        //! Missing ids with a later id of the same producer and source stored: holes.
        quint64 interior = 0;
        //! Missing ids after the last stored one of their producer and source: the newest.
        quint64 tail = 0;
        //! Ids stored one past the logged count: accepted in the instant of a SIGKILL,
        //! before the producer counted them (they count as logged).
        quint64 acceptedAtKill = 0;
        //! Ids stored further beyond: never logged (a bug).
        quint64 unknown = 0;
        quint64 duplicates = 0; //!< extra stores of this run's ids
    };
    RunCount count(int run, const quint64 logged[MaxProducers][SourceCount]) const;
    //! Runs that stored ids name.
    QList<int> runsSeen() const;

private:
    struct Track
    {
        std::vector<quint8> stores;
        std::vector<qint64> timestamp;
        std::vector<uint> stream;
    };
    static quint32 key(int run, int producer, int source)
    {
        return quint32(run) * 64 + quint32(producer) * 2 + quint32(source);
    }

    QHash<quint32, Track> m_tracks;
    quint64 m_stored = 0;
    quint64 m_dupSame = 0;
    quint64 m_dupChanged = 0;
    quint64 m_foreign = 0;
    quint64 m_malformed = 0;
    QStringList m_foreignSamples;
};

} // namespace soak
