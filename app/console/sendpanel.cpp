// SPDX-License-Identifier: MIT
#include "sendpanel.h"

#include "keyvaluetable.h"

#include <QtCore/QLocale>
#include <QtCore/QSettings>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDoubleSpinBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QGroupBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

template<typename W>
W *named(W *widget, const QString &name)
{
    widget->setObjectName(name);
    return widget;
}

} // namespace

SendPanel::SendPanel(QWidget *parent)
    : QWidget(parent)
    , m_level(named(new QComboBox, u"levelCombo"_s))
    , m_message(named(new QLineEdit(tr("Hello from the Loki Console")), u"messageEdit"_s))
    , m_labels(named(new KeyValueTable(tr("Label"), tr("Value")), u"labelsTable"_s))
    , m_metadata(named(new KeyValueTable(tr("Key"), tr("Value")), u"metadataTable"_s))
    , m_send(named(new QPushButton(tr("Send")), u"sendButton"_s))
    , m_burstCount(named(new QSpinBox, u"burstCountSpin"_s))
    , m_burstRate(named(new QDoubleSpinBox, u"burstRateSpin"_s))
    , m_burstThreads(named(new QSpinBox, u"burstThreadsSpin"_s))
    , m_burstStart(named(new QPushButton(tr("Start")), u"burstStartButton"_s))
    , m_burstStop(named(new QPushButton(tr("Stop")), u"burstStopButton"_s))
    , m_burstProgress(named(new QProgressBar, u"burstProgress"_s))
{
    m_level->addItem(tr("Debug"), int(QLoki::Level::Debug));
    m_level->addItem(tr("Info"), int(QLoki::Level::Info));
    m_level->addItem(tr("Warning"), int(QLoki::Level::Warning));
    m_level->addItem(tr("Error"), int(QLoki::Level::Error));
    m_level->addItem(tr("Critical"), int(QLoki::Level::Critical));
    m_level->setCurrentIndex(1);
    m_send->setDefault(true);
    m_labels->setValues({{u"component"_s, u"console"_s}});
    m_metadata->setValues({{u"user_id"_s, u"12345"_s}});
    m_labels->setToolTip(tr("Stream labels: keep them few and low-cardinality"));
    m_metadata->setToolTip(tr("Structured metadata: per-entry values such as ids"));

    m_burstCount->setRange(1, 10000000);
    m_burstCount->setGroupSeparatorShown(true);
    m_burstCount->setValue(1000);
    m_burstRate->setRange(0, 1000000);
    m_burstRate->setDecimals(1);
    m_burstRate->setSuffix(tr(" /s"));
    m_burstRate->setSpecialValueText(tr("full speed"));
    m_burstRate->setValue(0);
    m_burstThreads->setRange(1, 64);
    m_burstThreads->setValue(2);
    m_burstStop->setEnabled(false);
    // Before any burst the bar says so, rather than counting "0 of 1".
    m_burstProgress->setRange(0, 1);
    m_burstProgress->setValue(0);
    m_burstProgress->setFormat(tr("No burst yet"));

    auto *entry = new QGroupBox(tr("Entry"));
    auto *form = new QFormLayout(entry);
    form->addRow(tr("Level:"), m_level);
    form->addRow(tr("Message:"), m_message);
    form->addRow(tr("Labels:"), m_labels);
    form->addRow(tr("Metadata:"), m_metadata);
    auto *sendRow = new QHBoxLayout;
    sendRow->addStretch();
    sendRow->addWidget(m_send);
    form->addRow(sendRow);

    auto *burst = new QGroupBox(tr("Burst"));
    auto *burstForm = new QFormLayout(burst);
    burstForm->addRow(tr("Entries:"), m_burstCount);
    burstForm->addRow(tr("Rate:"), m_burstRate);
    burstForm->addRow(tr("Threads:"), m_burstThreads);
    auto *burstRow = new QHBoxLayout;
    burstRow->addWidget(m_burstProgress, 1);
    burstRow->addWidget(m_burstStart);
    burstRow->addWidget(m_burstStop);
    burstForm->addRow(burstRow);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(entry, 1);
    layout->addWidget(burst);

    connect(m_send, &QPushButton::clicked, this, &SendPanel::sendRequested);
    connect(m_message, &QLineEdit::returnPressed, this, &SendPanel::sendRequested);
    connect(m_burstStart, &QPushButton::clicked, this, &SendPanel::burstStartRequested);
    connect(m_burstStop, &QPushButton::clicked, this, &SendPanel::burstStopRequested);
}

QLoki::Level SendPanel::level() const { return QLoki::Level(m_level->currentData().toInt()); }

void SendPanel::setLevel(QLoki::Level level)
{
    m_level->setCurrentIndex(qMax(0, m_level->findData(int(level))));
}

QString SendPanel::message() const { return m_message->text(); }

void SendPanel::setMessage(const QString &message) { m_message->setText(message); }

QMap<QString, QString> SendPanel::labels() const { return m_labels->values(); }

QVariantMap SendPanel::metadata() const
{
    QVariantMap map;
    const auto values = m_metadata->values();
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        map.insert(it.key(), it.value());
    return map;
}

BurstGenerator::Plan SendPanel::burstPlan() const
{
    BurstGenerator::Plan plan;
    plan.count = m_burstCount->value();
    plan.ratePerSecond = m_burstRate->value();
    plan.threads = m_burstThreads->value();
    plan.level = level();
    plan.message = message();
    plan.labels = labels();
    plan.metadata = metadata();
    return plan;
}

void SendPanel::setBurst(int count, double ratePerSecond, int threads)
{
    m_burstCount->setValue(count);
    m_burstRate->setValue(ratePerSecond);
    m_burstThreads->setValue(threads);
}

void SendPanel::setBurstRunning(bool running)
{
    if (running) {
        m_stopping = false;
        m_waitingCalls = 0;
    } else if (m_stopping) {
        m_stopping = false;
        setBurstProgress(m_burstProgress->value(), m_burstTotal);
    }
    m_burstStart->setEnabled(!running);
    m_burstStop->setEnabled(running);
    m_burstCount->setEnabled(!running);
    m_burstRate->setEnabled(!running);
    m_burstThreads->setEnabled(!running);
}

void SendPanel::setBurstStopping(int waitingCalls)
{
    m_stopping = true;
    m_waitingCalls = waitingCalls;
    m_burstStop->setEnabled(false);
    setBurstProgress(m_burstProgress->value(), m_burstTotal);
}

void SendPanel::setBurstProgress(int sent, int total)
{
    m_burstTotal = total;
    m_burstProgress->setRange(0, qMax(1, total));
    m_burstProgress->setValue(sent);
    const QString logged = QLocale().toString(sent);
    if (m_stopping && m_waitingCalls > 0) {
        m_burstProgress->setFormat(
                tr("Stopping at %1 logged: %Ln call(s) wait for room in the buffer", nullptr,
                   m_waitingCalls)
                        .arg(logged));
    } else if (m_stopping) {
        m_burstProgress->setFormat(tr("Stopping at %1 logged").arg(logged));
    } else {
        m_burstProgress->setFormat(tr("%1 of %Ln entries logged", nullptr, total).arg(logged));
    }
}

void SendPanel::loadSettings(QSettings &settings)
{
    settings.beginGroup(u"send"_s);
    setLevel(QLoki::Level(settings.value(u"level"_s, int(level())).toInt()));
    m_message->setText(settings.value(u"message"_s, m_message->text()).toString());
    if (settings.contains(u"labels"_s))
        m_labels->fromStringList(settings.value(u"labels"_s).toStringList());
    if (settings.contains(u"metadata"_s))
        m_metadata->fromStringList(settings.value(u"metadata"_s).toStringList());
    m_burstCount->setValue(settings.value(u"burstCount"_s, m_burstCount->value()).toInt());
    m_burstRate->setValue(settings.value(u"burstRate"_s, m_burstRate->value()).toDouble());
    m_burstThreads->setValue(settings.value(u"burstThreads"_s, m_burstThreads->value()).toInt());
    settings.endGroup();
}

void SendPanel::saveSettings(QSettings &settings) const
{
    settings.beginGroup(u"send"_s);
    settings.setValue(u"level"_s, int(level()));
    settings.setValue(u"message"_s, m_message->text());
    settings.setValue(u"labels"_s, m_labels->toStringList());
    settings.setValue(u"metadata"_s, m_metadata->toStringList());
    settings.setValue(u"burstCount"_s, m_burstCount->value());
    settings.setValue(u"burstRate"_s, m_burstRate->value());
    settings.setValue(u"burstThreads"_s, m_burstThreads->value());
    settings.endGroup();
}
