// SPDX-License-Identifier: MIT
#include "screenshottour.h"

#include "burstgenerator.h"
#include "faultspanel.h"
#include "keyvaluetable.h"
#include "readbackpanel.h"
#include "sendpanel.h"

#include <QLoki/LokiLogger>

#include <QtGui/QPixmap>

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 TimeoutMs = 60000;
constexpr qint64 MinimumRunMs = 9000; // enough seconds for the chart to show the burst
constexpr qint64 SettleMs = 1500;
} // namespace

ScreenshotTour::ScreenshotTour(ConsoleWindow *window, const QString &path, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_path(path)
{
    m_poll.setInterval(200);
    connect(&m_poll, &QTimer::timeout, this, &ScreenshotTour::poll);
}

void ScreenshotTour::start()
{
    if (!m_window->isReady()) {
        connect(m_window, &ConsoleWindow::ready, this, &ScreenshotTour::start,
                Qt::SingleShotConnection);
        return;
    }
    m_window->showTab(m_tab);
    SendPanel *send = m_window->sendPanel();
    send->setLevel(QLoki::Level::Info);
    send->setMessage(u"checkout completed"_s);
    send->labelsTable()->setValues({{u"component"_s, u"checkout"_s}, {u"region"_s, u"eu-west"_s}});
    send->metadataTable()->setValues(
            {{u"order_id"_s, u"A-1042"_s}, {u"user_id"_s, u"12345"_s}, {u"amount"_s, u"100.5"_s}});
    send->setBurst(900, 150, 2);
    // Two refused pushes at the start, so that the events show retries.
    m_window->faultsPanel()->failNext(2, 503);
    m_window->sendEntry();
    m_window->startBurst();
    m_clock.start();
    m_poll.start();
}

void ScreenshotTour::poll()
{
    const LokiStats stats = m_window->logger()->stats();
    const bool delivered = !m_window->burstGenerator()->isRunning() && stats.accepted() > 0
            && stats.delivered() == stats.accepted();
    if (!delivered) {
        m_settledAt = -1;
        if (m_clock.elapsed() > TimeoutMs)
            capture(false);
        return;
    }
    if (!m_queried) {
        m_queried = true;
        m_window->readBackPanel()->runQuery();
    }
    if (m_settledAt < 0)
        m_settledAt = m_clock.elapsed();
    if (m_clock.elapsed() >= MinimumRunMs && m_clock.elapsed() - m_settledAt >= SettleMs)
        capture(true);
}

void ScreenshotTour::capture(bool delivered)
{
    m_poll.stop();
    m_window->sampleStats();
    const QPixmap pixmap = m_window->grab();
    if (!pixmap.save(m_path, "PNG")) {
        Q_EMIT finished(false, tr("Cannot write %1").arg(m_path));
        return;
    }
    Q_EMIT finished(delivered,
                    delivered ? tr("Wrote %1").arg(m_path)
                              : tr("Wrote %1, but not every entry was delivered").arg(m_path));
}
