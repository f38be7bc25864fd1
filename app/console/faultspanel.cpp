// SPDX-License-Identifier: MIT
#include "faultspanel.h"

#include "consolelog.h"
#include "receiverhost.h"

#include <QtCore/QLocale>
#include <QtWidgets/QGroupBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

QSpinBox *spin(const QString &name, int min, int max, int value, const QString &suffix = {})
{
    auto *box = new QSpinBox;
    box->setObjectName(name);
    box->setRange(min, max);
    box->setValue(value);
    box->setSuffix(suffix);
    return box;
}

QPushButton *button(const QString &name, const QString &text)
{
    auto *b = new QPushButton(text);
    b->setObjectName(name);
    return b;
}

} // namespace

FaultsPanel::FaultsPanel(ReceiverHost *receiver, QWidget *parent)
    : QWidget(parent)
    , m_receiver(receiver)
    , m_controls(new QWidget)
    , m_note(new QLabel(tr("Faults act on the built-in receiver only; uncheck "
                           "\"Use external Loki\" on the Connection tab to use them.")))
    , m_offlineSeconds(spin(u"offlineSecondsSpin"_s, 1, 3600, 5, tr(" s")))
    , m_failCount(spin(u"failCountSpin"_s, 1, 1000, 3))
    , m_failStatus(spin(u"failStatusSpin"_s, 400, 599, 503))
    , m_rateLimitCount(spin(u"rateLimitCountSpin"_s, 1, 1000, 1))
    , m_retryAfter(spin(u"retryAfterSpin"_s, 0, 3600, 2, tr(" s")))
    , m_latency(spin(u"latencySpin"_s, 0, 60000, 0, tr(" ms")))
    , m_current(new QLabel)
{
    m_note->setWordWrap(true);
    m_note->setObjectName(u"faultsNoteLabel"_s);
    m_current->setObjectName(u"faultsStatusLabel"_s);
    m_current->setWordWrap(true);
    m_latency->setSingleStep(100);

    auto *offline = button(u"goOfflineButton"_s, tr("Go offline"));
    auto *fail = button(u"failButton"_s, tr("Fail pushes"));
    auto *limit = button(u"rateLimitButton"_s, tr("Send 429"));
    auto *latency = button(u"latencyButton"_s, tr("Set latency"));
    auto *clear = button(u"clearFaultsButton"_s, tr("Clear all faults"));

    // One box per fault: a sentence with its fields, and below it the button that
    // injects it (the tab is narrow, a single row would be clipped).
    const auto faultBox = [](const QString &title, const QList<QWidget *> &parts,
                             QPushButton *action) {
        auto *box = new QGroupBox(title);
        auto *sentence = new QHBoxLayout;
        for (QWidget *part : parts)
            sentence->addWidget(part);
        sentence->addStretch();
        auto *buttonRow = new QHBoxLayout;
        buttonRow->addStretch();
        buttonRow->addWidget(action);
        auto *layout = new QVBoxLayout(box);
        layout->addLayout(sentence);
        layout->addLayout(buttonRow);
        return box;
    };
    auto *clearRow = new QHBoxLayout;
    clearRow->addStretch();
    clearRow->addWidget(clear);

    auto *currentBox = new QGroupBox(tr("Now"));
    auto *currentLayout = new QVBoxLayout(currentBox);
    currentLayout->addWidget(m_current);

    auto *controlsLayout = new QVBoxLayout(m_controls);
    controlsLayout->setContentsMargins(0, 0, 0, 0);
    controlsLayout->addWidget(
            faultBox(tr("Outage"), {new QLabel(tr("Go offline for")), m_offlineSeconds}, offline));
    controlsLayout->addWidget(faultBox(tr("Failing pushes"),
                                       {new QLabel(tr("Fail the next")), m_failCount,
                                        new QLabel(tr("pushes with HTTP")), m_failStatus},
                                       fail));
    controlsLayout->addWidget(faultBox(tr("Rate limiting"),
                                       {new QLabel(tr("Answer the next")), m_rateLimitCount,
                                        new QLabel(tr("with 429, Retry-After")), m_retryAfter},
                                       limit));
    controlsLayout->addWidget(faultBox(
            tr("Latency"), {new QLabel(tr("Answer every push after")), m_latency}, latency));
    controlsLayout->addLayout(clearRow);
    controlsLayout->addWidget(currentBox);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_note);
    layout->addWidget(m_controls);
    layout->addStretch();
    m_note->hide();

    connect(offline, &QPushButton::clicked, this, [this] { goOffline(m_offlineSeconds->value()); });
    connect(fail, &QPushButton::clicked, this,
            [this] { failNext(m_failCount->value(), m_failStatus->value()); });
    connect(limit, &QPushButton::clicked, this,
            [this] { rateLimit(m_rateLimitCount->value(), m_retryAfter->value()); });
    connect(latency, &QPushButton::clicked, this, [this] { setLatency(m_latency->value()); });
    connect(clear, &QPushButton::clicked, this, &FaultsPanel::clearFaults);
    connect(m_receiver, &ReceiverHost::pushHandled, this, &FaultsPanel::refresh);
    connect(m_receiver, &ReceiverHost::availabilityChanged, this, &FaultsPanel::refresh);
    m_refresh.setInterval(500);
    connect(&m_refresh, &QTimer::timeout, this, &FaultsPanel::refresh);
    m_refresh.start();
    refresh();
}

void FaultsPanel::setBuiltinActive(bool active)
{
    m_controls->setEnabled(active);
    m_note->setVisible(!active);
}

void FaultsPanel::goOffline(int seconds)
{
    qCInfo(lcConsole, "fault: receiver offline for %d s", seconds);
    m_receiver->goDown(std::chrono::seconds(seconds));
    refresh();
}

void FaultsPanel::failNext(int count, int httpStatus)
{
    qCInfo(lcConsole, "fault: the next %d pushes get %d", count, httpStatus);
    m_receiver->failNextPushes(count, httpStatus);
    refresh();
}

void FaultsPanel::rateLimit(int count, int retryAfterSeconds)
{
    qCInfo(lcConsole, "fault: the next %d pushes get 429, Retry-After %d s", count,
           retryAfterSeconds);
    m_receiver->failNextPushes(count, 429, retryAfterSeconds);
    refresh();
}

void FaultsPanel::setLatency(int milliseconds)
{
    qCInfo(lcConsole, "fault: answers delayed by %d ms", milliseconds);
    m_receiver->setResponseDelay(std::chrono::milliseconds(milliseconds));
    refresh();
}

void FaultsPanel::clearFaults()
{
    qCInfo(lcConsole, "faults cleared");
    m_receiver->clearFaults();
    refresh();
}

void FaultsPanel::refresh()
{
    if (!isVisible() && sender() == &m_refresh)
        return;
    const LokiReceiver::Faults f = m_receiver->faults();
    const QLocale locale;
    QStringList parts;
    if (f.down()) {
        parts << (f.downRemaining().count() < 0
                          ? tr("offline")
                          : tr("offline, back in %1 s")
                                    .arg(locale.toString(double(f.downRemaining().count()) / 1000.0,
                                                         'f', 1)));
    }
    if (f.failNextPushes() > 0) {
        parts << (f.retryAfterSeconds() >= 0 ? tr("the next %1 pushes get %2 with Retry-After %3 s")
                                                       .arg(f.failNextPushes())
                                                       .arg(f.failStatus())
                                                       .arg(f.retryAfterSeconds())
                                             : tr("the next %1 pushes get %2")
                                                       .arg(f.failNextPushes())
                                                       .arg(f.failStatus()));
    }
    if (f.responseDelay().count() > 0)
        parts << tr("answers delayed by %1 ms")
                         .arg(locale.toString(qint64(f.responseDelay().count())));
    if (f.dropNextConnections() > 0)
        parts << tr("the next %1 connections are dropped").arg(f.dropNextConnections());
    m_current->setText(parts.isEmpty() ? tr("No faults: the receiver answers normally.")
                                       : parts.join(u'\n'));
}
