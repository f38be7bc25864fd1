// SPDX-License-Identifier: MIT
#include "producers.h"

#include <QLoki/LokiLogger>

#include <chrono>
#include <iostream>
#include <string>

using namespace Qt::StringLiterals;

Producers::Producers(LokiLogger *logger, const SendOptions &options)
    : m_logger(logger)
    , m_options(options)
    , m_tallies(options.source == EntrySource::Synthetic ? options.threads : 1)
{
}

Producers::~Producers()
{
    join();
}

void Producers::start(std::function<void()> finished)
{
    m_finished = std::move(finished);
    const int count = int(m_tallies.size());
    m_running = count;
    const auto run = [this](auto body) {
        return [this, body] {
            body();
            if (m_running.fetch_sub(1) == 1)
                m_finished();
        };
    };
    switch (m_options.source) {
    case EntrySource::Arguments:
        m_threads.emplace_back(run([this] { logTimed(m_options.message, &m_tallies[0]); }));
        break;
    case EntrySource::Stdin:
        m_threads.emplace_back(run([this] { runStdin(&m_tallies[0]); }));
        break;
    case EntrySource::Synthetic: {
        // Split N exactly: the first N % T threads take one entry more.
        const qint64 share = m_options.count / count;
        const qint64 extra = m_options.count % count;
        qint64 first = 1;
        for (int t = 0; t < count; ++t) {
            const qint64 n = share + (t < extra ? 1 : 0);
            Tally *tally = &m_tallies[t];
            m_threads.emplace_back(
                run([this, first, n, tally] { runSynthetic(first, first + n, tally); }));
            first += n;
        }
        break;
    }
    }
}

void Producers::join()
{
    for (std::thread &thread : m_threads) {
        if (thread.joinable())
            thread.join();
    }
}

quint64 Producers::calls() const
{
    quint64 calls = 0;
    for (const Tally &tally : m_tallies)
        calls += tally.calls.load();
    return calls;
}

double Producers::meanCallNs() const
{
    quint64 calls = 0;
    qint64 ns = 0;
    for (const Tally &tally : m_tallies) {
        calls += tally.calls.load();
        ns += tally.ns.load();
    }
    return calls ? double(ns) / double(calls) : 0.0;
}

void Producers::logTimed(const QString &message, Tally *tally)
{
    using Clock = std::chrono::steady_clock;
    const Clock::time_point begin = Clock::now();
    m_logger->log(m_options.level, message, m_options.labels, m_options.metadata);
    const Clock::duration took = Clock::now() - begin;
    tally->ns.fetch_add(std::chrono::duration_cast<std::chrono::nanoseconds>(took).count(),
                        std::memory_order_relaxed);
    tally->calls.fetch_add(1, std::memory_order_relaxed);
}

void Producers::runSynthetic(qint64 first, qint64 end, Tally *tally)
{
    for (qint64 i = first; i < end; ++i)
        logTimed(u"synthetic entry %1"_s.arg(i), tally);
}

void Producers::runStdin(Tally *tally)
{
    // A blocking read on its own thread: the event loop of the main thread keeps running
    // while standard input is idle.
    std::string line;
    while (std::getline(std::cin, line)) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.empty())
            continue;
        logTimed(QString::fromUtf8(line.data(), qsizetype(line.size())), tally);
    }
}
