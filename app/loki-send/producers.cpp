// SPDX-License-Identifier: MIT
#include "producers.h"

#include "linereader.h"

#include <QLoki/LokiLogger>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

Producers::Producers(LokiLogger *logger, const SendOptions &options)
    : m_logger(logger)
    , m_options(options)
    , m_tallies(options.source == EntrySource::Synthetic ? options.threads : 1)
{
    if (::pipe2(m_stopPipe, O_CLOEXEC | O_NONBLOCK) != 0)
        m_stopPipe[0] = m_stopPipe[1] = -1;
}

Producers::~Producers()
{
    requestStop();
    join();
    for (const int fd : m_stopPipe) {
        if (fd >= 0)
            ::close(fd);
    }
}

bool Producers::waitFor(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_endMutex);
    return m_ended.wait_for(lock, timeout, [this] { return m_running.load() == 0; });
}

void Producers::requestStop()
{
    if (m_stop.exchange(true))
        return;
    const char byte = 1;
    if (m_stopPipe[1] >= 0) {
        const ssize_t written = ::write(m_stopPipe[1], &byte, 1);
        Q_UNUSED(written); // m_stop is set: a full pipe already wakes the reader
    }
}

QString Producers::readError() const { return m_readError; }

void Producers::start(std::function<void()> finished)
{
    m_finished = std::move(finished);
    const int count = int(m_tallies.size());
    m_running = count;
    const auto run = [this](auto body) {
        return [this, body] {
            body();
            if (m_running.fetch_sub(1) == 1) {
                {
                    std::lock_guard lock(m_endMutex);
                }
                m_ended.notify_all();
                m_finished();
            }
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
    for (qint64 i = first; i < end && !m_stop.load(std::memory_order_relaxed); ++i)
        logTimed(u"synthetic entry %1"_s.arg(i), tally);
}

namespace {

// What a pipe or socket on standard input holds right now; 0 for anything else (a file
// is not drained after an interruption: the user asked to stop).
qint64 bytesWaiting()
{
    struct stat info = {};
    if (::fstat(STDIN_FILENO, &info) != 0 || !(S_ISFIFO(info.st_mode) || S_ISSOCK(info.st_mode)))
        return 0;
    int waiting = 0;
    return ::ioctl(STDIN_FILENO, FIONREAD, &waiting) == 0 ? qint64(waiting) : 0;
}

bool readableNow()
{
    pollfd in = {STDIN_FILENO, POLLIN, 0};
    return ::poll(&in, 1, 0) > 0;
}

} // namespace

void Producers::runStdin(Tally *tally)
{
    // Blocking reads on their own thread: the event loop of the main thread keeps running
    // while standard input is idle. poll() also watches the stop pipe, so that an
    // interruption does not wait for the next line.
    LineReader reader(m_options.config.maxLineBytes(), m_options.config.lineLimitPolicy());
    const LineReader::Sink sink = [this, tally](const QString &line) { logTimed(line, tally); };
    std::vector<char> buffer(64 * 1024);
    bool draining = false;
    qint64 drainLeft = 0;
    for (;;) {
        if (!draining && m_stop.load()) {
            draining = true;
            drainLeft = bytesWaiting();
        }
        if (draining && (drainLeft <= 0 || !readableNow()))
            break;
        if (!draining) {
            pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {m_stopPipe[0], POLLIN, 0}};
            const int ready = ::poll(fds, m_stopPipe[0] >= 0 ? 2 : 1, -1);
            if (ready < 0 && errno != EINTR) {
                m_readError = QString::fromLocal8Bit(std::strerror(errno));
                break;
            }
            if (ready <= 0 || fds[0].revents == 0)
                continue; // interrupted, or the stop pipe: the loop's top decides
        }
        const std::size_t wanted = draining
                ? std::min<std::size_t>(buffer.size(), std::size_t(drainLeft))
                : buffer.size();
        const ssize_t n = ::read(STDIN_FILENO, buffer.data(), wanted);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            m_readError = QString::fromLocal8Bit(std::strerror(errno));
            break;
        }
        if (n == 0)
            break;
        drainLeft -= n;
        reader.feed(QByteArrayView(buffer.data(), qsizetype(n)), sink);
    }
    // A last line without its newline was still written: it is sent too.
    reader.finish(sink);
    m_linesCut = reader.linesCut();
    m_bytesCut = reader.bytesCut();
}
