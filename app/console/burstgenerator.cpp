// SPDX-License-Identifier: MIT
#include "burstgenerator.h"

#include <QLoki/LokiLogger>

#include <chrono>

BurstGenerator::BurstGenerator(QObject *parent)
    : QObject(parent)
{
    m_progressTimer.setInterval(50);
    connect(&m_progressTimer, &QTimer::timeout, this,
            [this] { Q_EMIT progressChanged(sent(), m_total); });
}

BurstGenerator::~BurstGenerator()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    join();
}

bool BurstGenerator::start(LokiLogger *logger, const Plan &plan)
{
    if (m_running || !logger || plan.count <= 0)
        return false;
    const int threads = qBound(1, plan.threads, qMin(plan.count, 64));
    m_total = plan.count;
    m_sent = 0;
    m_sequence = 0;
    m_stop = false;
    m_active = threads;
    m_running = true;
    Q_EMIT runningChanged(true);
    Q_EMIT progressChanged(0, m_total);
    m_progressTimer.start();
    Plan effective = plan;
    effective.threads = threads;
    const int generation = ++m_generation;
    for (int i = 0; i < threads; ++i) {
        const int share = plan.count / threads + (i < plan.count % threads ? 1 : 0);
        m_workers.emplace_back([this, logger, effective, i, share, generation] {
            work(logger, effective, i, share, generation);
        });
    }
    return true;
}

void BurstGenerator::stop()
{
    if (!m_running || m_stop.load())
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    Q_EMIT stopping();
}

void BurstGenerator::work(LokiLogger *logger, const Plan &plan, int index, int share,
                          int generation)
{
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    // Each of n threads sends every n-th slot of the overall rate.
    const double perThread = plan.ratePerSecond > 0 ? plan.ratePerSecond / double(plan.threads) : 0;
    QVariantMap metadata = plan.metadata;
    metadata.insert(QStringLiteral("burst_thread"), index);
    for (int k = 0; k < share && !m_stop.load(std::memory_order_relaxed); ++k) {
        if (perThread > 0) {
            const auto due = start
                    + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(k / perThread));
            std::unique_lock lock(m_mutex);
            if (m_wake.wait_until(lock, due, [this] { return m_stop.load(); }))
                break;
        }
        const int seq = m_sequence.fetch_add(1, std::memory_order_relaxed) + 1;
        metadata.insert(QStringLiteral("burst_seq"), seq);
        m_inCall.fetch_add(1, std::memory_order_relaxed);
        logger->log(plan.level, plan.message + QStringLiteral(" #") + QString::number(seq),
                    plan.labels, metadata);
        m_inCall.fetch_sub(1, std::memory_order_relaxed);
        m_sent.fetch_add(1, std::memory_order_relaxed);
    }
    if (m_active.fetch_sub(1) == 1) {
        // The last worker out tells the owner's thread, which joins them all (they have
        // all returned by then); a stale notice (a new burst started) is ignored.
        QMetaObject::invokeMethod(
                this,
                [this, generation] {
                    if (generation == m_generation)
                        finish();
                },
                Qt::QueuedConnection);
    }
}

void BurstGenerator::join()
{
    for (std::thread &worker : m_workers) {
        if (worker.joinable())
            worker.join();
    }
    m_workers.clear();
}

void BurstGenerator::finish()
{
    if (!m_running)
        return;
    join();
    m_progressTimer.stop();
    m_running = false;
    Q_EMIT progressChanged(sent(), m_total);
    Q_EMIT runningChanged(false);
    Q_EMIT finished(sent());
}
