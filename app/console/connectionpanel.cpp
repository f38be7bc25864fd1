// SPDX-License-Identifier: MIT
#include "connectionpanel.h"

#include "accessbox.h"
#include "keyvaluetable.h"
#include "lokiaccess.h"

#include <QtCore/QSettings>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDoubleSpinBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QGroupBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
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

void selectData(QComboBox *combo, int value)
{
    const int index = combo->findData(value);
    if (index >= 0)
        combo->setCurrentIndex(index);
}

} // namespace

ConnectionPanel::ConnectionPanel(bool useKeychain, QWidget *parent)
    : QWidget(parent)
    , m_useExternal(named(new QCheckBox(tr("Use external Loki")), u"useExternalCheck"_s))
    , m_url(named(new QLineEdit, u"urlEdit"_s))
    , m_appName(named(new QLineEdit(u"loki-console"_s), u"appNameEdit"_s))
    , m_environment(named(new QLineEdit(u"development"_s), u"environmentEdit"_s))
    , m_tenant(named(new QLineEdit, u"tenantEdit"_s))
    , m_format(named(new QComboBox, u"formatCombo"_s))
    , m_batchEntries(named(new QSpinBox, u"batchEntriesSpin"_s))
    , m_batchKiB(named(new QSpinBox, u"batchKiBSpin"_s))
    , m_flushInterval(named(new QDoubleSpinBox, u"flushIntervalSpin"_s))
    , m_maxRetries(named(new QSpinBox, u"maxRetriesSpin"_s))
    , m_minBackoff(named(new QSpinBox, u"minBackoffSpin"_s))
    , m_maxBackoff(named(new QDoubleSpinBox, u"maxBackoffSpin"_s))
    , m_bufferSize(named(new QSpinBox, u"bufferSizeSpin"_s))
    , m_overflow(named(new QComboBox, u"overflowCombo"_s))
    , m_minimumLevel(named(new QComboBox, u"minimumLevelCombo"_s))
    , m_contextEntries(named(new QSpinBox, u"contextEntriesSpin"_s))
    , m_offlineBuffer(named(new QCheckBox(tr("Keep failed batches in the offline buffer")),
                            u"offlineBufferCheck"_s))
    , m_captureQtMessages(named(new QCheckBox(tr("Capture this console's Qt messages")),
                                u"captureQtMessagesCheck"_s))
    , m_staticLabels(named(new KeyValueTable(tr("Label"), tr("Value")), u"staticLabelsTable"_s))
    , m_access(named(new AccessBox(useKeychain), u"accessBox"_s))
    , m_apply(named(new QPushButton(tr("Apply")), u"applyButton"_s))
    , m_result(named(new QLabel, u"applyResultLabel"_s))
{
    const LokiConfig defaults;

    m_url->setPlaceholderText(u"http://localhost:3100"_s);
    m_useExternal->setToolTip(
            tr("Send to the URL below instead of the console's built-in receiver"));
    m_tenant->setPlaceholderText(tr("none (X-Scope-OrgID)"));

    m_format->addItem(tr("Protobuf + snappy"), int(QLoki::WireFormat::Protobuf));
    m_format->addItem(tr("JSON"), int(QLoki::WireFormat::Json));
    m_format->addItem(tr("JSON + gzip"), int(QLoki::WireFormat::JsonGzip));
    // OpenTelemetry logs: to Loki 3's /otlp/v1/logs, or to a collector's /v1/logs.
    m_format->addItem(tr("OTLP (protobuf)"), int(QLoki::WireFormat::Otlp));
    m_format->addItem(tr("OTLP (protobuf + gzip)"), int(QLoki::WireFormat::OtlpGzip));
    m_format->addItem(tr("OTLP (JSON)"), int(QLoki::WireFormat::OtlpJson));
    m_format->addItem(tr("OTLP (JSON + gzip)"), int(QLoki::WireFormat::OtlpJsonGzip));
    m_format->setToolTip(tr("OTLP sends OpenTelemetry logs: from a base URL to Loki 3's "
                            "/otlp/v1/logs, or to a URL ending in /v1/logs as it is "
                            "(an OpenTelemetry Collector)"));

    m_batchEntries->setRange(1, 1000000);
    m_batchEntries->setValue(defaults.batchMaxEntries());
    m_batchKiB->setRange(1, 64 * 1024);
    m_batchKiB->setSuffix(tr(" KiB"));
    m_batchKiB->setValue(int(defaults.batchMaxBytes() / 1024));
    m_flushInterval->setRange(0.05, 3600);
    m_flushInterval->setDecimals(2);
    m_flushInterval->setSuffix(tr(" s"));
    m_flushInterval->setValue(1.0);
    m_maxRetries->setRange(0, 100);
    m_maxRetries->setValue(defaults.maxRetries());
    m_minBackoff->setRange(1, 600000);
    m_minBackoff->setSuffix(tr(" ms"));
    m_minBackoff->setValue(int(defaults.minBackoff().count()));
    m_maxBackoff->setRange(0.01, 3600);
    m_maxBackoff->setDecimals(2);
    m_maxBackoff->setSuffix(tr(" s"));
    m_maxBackoff->setValue(double(defaults.maxBackoff().count()) / 1000.0);
    m_bufferSize->setRange(1, 10000000);
    m_bufferSize->setGroupSeparatorShown(true);
    m_bufferSize->setValue(defaults.bufferSize());

    m_overflow->addItem(tr("Drop oldest"), int(QLoki::OverflowPolicy::DropOldest));
    m_overflow->addItem(tr("Drop newest"), int(QLoki::OverflowPolicy::DropNewest));
    m_overflow->addItem(tr("Block the caller"), int(QLoki::OverflowPolicy::Block));
    m_offlineBuffer->setChecked(defaults.enableOfflineBuffer());
    m_minimumLevel->addItem(tr("Debug"), int(QLoki::Level::Debug));
    m_minimumLevel->addItem(tr("Info"), int(QLoki::Level::Info));
    m_minimumLevel->addItem(tr("Warning"), int(QLoki::Level::Warning));
    m_minimumLevel->addItem(tr("Error"), int(QLoki::Level::Error));
    m_minimumLevel->addItem(tr("Critical"), int(QLoki::Level::Critical));
    selectData(m_minimumLevel, int(defaults.minimumLevel()));
    m_minimumLevel->setToolTip(tr("Entries below this level are not sent on their own; with "
                                  "context on error they wait in the context ring"));
    // The console keeps a flight recorder by default: an error brings the entries below the
    // minimum level that led to it. The ring must fit into the buffer it is shipped into.
    m_contextEntries->setRange(0, qMax(0, m_bufferSize->value() - 1));
    m_contextEntries->setSpecialValueText(tr("off"));
    m_contextEntries->setSuffix(tr(" entries"));
    m_contextEntries->setValue(qMin(200, m_contextEntries->maximum()));
    m_contextEntries->setToolTip(
            tr("The last entries below the minimum level, kept and sent before each error "
               "(with context_for and context_id metadata); less than the buffer size"));
    connect(m_bufferSize, &QSpinBox::valueChanged, m_contextEntries,
            [this](int size) { m_contextEntries->setMaximum(qMax(0, size - 1)); });

    m_captureQtMessages->setToolTip(
            tr("Send qDebug(), qInfo(), qWarning() and qCritical() of this program to Loki too"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *target = new QGroupBox(tr("Target"));
    auto *targetForm = new QFormLayout(target);
    targetForm->addRow(m_useExternal);
    targetForm->addRow(tr("Endpoint URL:"), m_url);
    targetForm->addRow(tr("Tenant:"), m_tenant);
    targetForm->addRow(tr("App name:"), m_appName);
    targetForm->addRow(tr("Environment:"), m_environment);
    targetForm->addRow(tr("Format:"), m_format);
    targetForm->addRow(tr("Minimum level:"), m_minimumLevel);
    targetForm->addRow(tr("Context on error:"), m_contextEntries);
    targetForm->addRow(m_captureQtMessages);

    auto *delivery = new QGroupBox(tr("Batching and retries"));
    auto *deliveryForm = new QFormLayout(delivery);
    deliveryForm->addRow(tr("Batch entries:"), m_batchEntries);
    deliveryForm->addRow(tr("Batch bytes:"), m_batchKiB);
    deliveryForm->addRow(tr("Flush interval:"), m_flushInterval);
    deliveryForm->addRow(tr("Max retries:"), m_maxRetries);
    deliveryForm->addRow(tr("First retry after:"), m_minBackoff);
    deliveryForm->addRow(tr("Longest retry delay:"), m_maxBackoff);
    deliveryForm->addRow(tr("Buffer size:"), m_bufferSize);
    deliveryForm->addRow(tr("When full:"), m_overflow);
    deliveryForm->addRow(m_offlineBuffer);

    auto *labels = new QGroupBox(tr("Static labels"));
    auto *labelsLayout = new QVBoxLayout(labels);
    labelsLayout->addWidget(m_staticLabels);

    auto *applyRow = new QHBoxLayout;
    applyRow->addWidget(m_result, 1);
    applyRow->addWidget(m_apply);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(target);
    layout->addWidget(m_access);
    layout->addWidget(delivery);
    layout->addWidget(labels, 1);
    layout->addLayout(applyRow);

    connect(m_apply, &QPushButton::clicked, this, &ConnectionPanel::applyRequested);
    connect(m_captureQtMessages, &QCheckBox::toggled, this,
            &ConnectionPanel::captureQtMessagesChanged);
    connect(m_useExternal, &QCheckBox::toggled, this, [this](bool external) {
        if (!external)
            m_externalUrl = m_url->text();
        updateUrlField();
        Q_EMIT useExternalChanged(external);
    });
    updateUrlField();
}

LokiConfig ConnectionPanel::config() const
{
    LokiConfig config;
    config.setAppName(m_appName->text().trimmed());
    config.setEnvironment(m_environment->text().trimmed());
    config.setFormat(QLoki::WireFormat(m_format->currentData().toInt()));
    QUrl url = useExternal() ? QUrl::fromUserInput(m_url->text().trimmed()) : m_builtinUrl;
    const QLoki::WireFormat format = config.format();
    const bool otlp = format == QLoki::WireFormat::Otlp || format == QLoki::WireFormat::OtlpGzip
            || format == QLoki::WireFormat::OtlpJson || format == QLoki::WireFormat::OtlpJsonGzip;
    if (!useExternal() && otlp) {
        // The built-in receiver's push URL names Loki's push API; OTLP goes to its base URL.
        url = LokiAccess::baseUrlOf(url);
    }
    config.setUrl(url);
    config.setTenant(m_tenant->text().trimmed());
    config.setBatchMaxEntries(m_batchEntries->value());
    config.setBatchMaxBytes(qint64(m_batchKiB->value()) * 1024);
    config.setFlushInterval(std::chrono::milliseconds(qRound64(m_flushInterval->value() * 1000)));
    config.setMaxRetries(m_maxRetries->value());
    config.setMinBackoff(std::chrono::milliseconds(m_minBackoff->value()));
    config.setMaxBackoff(std::chrono::milliseconds(qRound64(m_maxBackoff->value() * 1000)));
    config.setBufferSize(m_bufferSize->value());
    config.setOverflowPolicy(QLoki::OverflowPolicy(m_overflow->currentData().toInt()));
    config.setEnableOfflineBuffer(m_offlineBuffer->isChecked());
    config.setMinimumLevel(QLoki::Level(m_minimumLevel->currentData().toInt()));
    config.setContextEntries(m_contextEntries->value());
    config.setStaticLabels(m_staticLabels->values());
    m_access->applyTo(&config);
    // A console must stay responsive: an Apply or a close waits at most this long.
    config.setShutdownTimeout(std::chrono::seconds(2));
    return config;
}

bool ConnectionPanel::useExternal() const { return m_useExternal->isChecked(); }

bool ConnectionPanel::captureQtMessages() const { return m_captureQtMessages->isChecked(); }

void ConnectionPanel::setCaptureQtMessages(bool capture)
{
    m_captureQtMessages->setChecked(capture);
}

void ConnectionPanel::setUseExternal(bool external) { m_useExternal->setChecked(external); }

QString ConnectionPanel::appName() const { return m_appName->text().trimmed(); }

QString ConnectionPanel::tenant() const { return m_tenant->text().trimmed(); }

void ConnectionPanel::setBuiltinUrl(const QUrl &url)
{
    m_builtinUrl = url;
    updateUrlField();
}

void ConnectionPanel::setApplyResult(const QString &text, bool problem)
{
    m_result->setText(text);
    m_result->setStyleSheet(problem ? u"color: #b00020;"_s : QString());
    m_result->setProperty("problem", problem);
}

QString ConnectionPanel::applyResult() const { return m_result->text(); }

void ConnectionPanel::setApplyEnabled(bool enabled, const QString &reason)
{
    m_apply->setEnabled(enabled);
    m_apply->setToolTip(reason);
}

void ConnectionPanel::updateUrlField()
{
    if (useExternal()) {
        m_url->setReadOnly(false);
        m_url->setText(m_externalUrl);
        m_url->setToolTip(tr("Loki's base URL or its /loki/api/v1/push URL"));
    } else {
        m_url->setReadOnly(true);
        m_url->setText(m_builtinUrl.toString());
        m_url->setToolTip(tr("The console's built-in receiver"));
    }
}

void ConnectionPanel::loadSettings(QSettings &settings)
{
    settings.beginGroup(u"connection"_s);
    m_externalUrl = settings.value(u"externalUrl"_s, u"http://localhost:3100"_s).toString();
    m_useExternal->setChecked(settings.value(u"useExternal"_s, false).toBool());
    m_appName->setText(settings.value(u"appName"_s, m_appName->text()).toString());
    m_environment->setText(settings.value(u"environment"_s, m_environment->text()).toString());
    m_tenant->setText(settings.value(u"tenant"_s).toString());
    selectData(m_format, settings.value(u"format"_s, m_format->currentData()).toInt());
    m_batchEntries->setValue(settings.value(u"batchEntries"_s, m_batchEntries->value()).toInt());
    m_batchKiB->setValue(settings.value(u"batchKiB"_s, m_batchKiB->value()).toInt());
    m_flushInterval->setValue(
            settings.value(u"flushInterval"_s, m_flushInterval->value()).toDouble());
    m_maxRetries->setValue(settings.value(u"maxRetries"_s, m_maxRetries->value()).toInt());
    m_minBackoff->setValue(settings.value(u"minBackoffMs"_s, m_minBackoff->value()).toInt());
    m_maxBackoff->setValue(settings.value(u"maxBackoff"_s, m_maxBackoff->value()).toDouble());
    m_bufferSize->setValue(settings.value(u"bufferSize"_s, m_bufferSize->value()).toInt());
    selectData(m_overflow, settings.value(u"overflow"_s, m_overflow->currentData()).toInt());
    m_offlineBuffer->setChecked(
            settings.value(u"offlineBuffer"_s, m_offlineBuffer->isChecked()).toBool());
    selectData(m_minimumLevel,
               settings.value(u"minimumLevel"_s, m_minimumLevel->currentData()).toInt());
    m_contextEntries->setValue(
            settings.value(u"contextEntries"_s, m_contextEntries->value()).toInt());
    m_captureQtMessages->setChecked(settings.value(u"captureQtMessages"_s, false).toBool());
    if (settings.contains(u"staticLabels"_s))
        m_staticLabels->fromStringList(settings.value(u"staticLabels"_s).toStringList());
    m_access->loadSettings(settings);
    settings.endGroup();
    updateUrlField();
}

void ConnectionPanel::saveSettings(QSettings &settings) const
{
    settings.beginGroup(u"connection"_s);
    settings.setValue(u"externalUrl"_s, useExternal() ? m_url->text() : m_externalUrl);
    settings.setValue(u"useExternal"_s, useExternal());
    settings.setValue(u"appName"_s, m_appName->text());
    settings.setValue(u"environment"_s, m_environment->text());
    settings.setValue(u"tenant"_s, m_tenant->text());
    settings.setValue(u"format"_s, m_format->currentData());
    settings.setValue(u"batchEntries"_s, m_batchEntries->value());
    settings.setValue(u"batchKiB"_s, m_batchKiB->value());
    settings.setValue(u"flushInterval"_s, m_flushInterval->value());
    settings.setValue(u"maxRetries"_s, m_maxRetries->value());
    settings.setValue(u"minBackoffMs"_s, m_minBackoff->value());
    settings.setValue(u"maxBackoff"_s, m_maxBackoff->value());
    settings.setValue(u"bufferSize"_s, m_bufferSize->value());
    settings.setValue(u"overflow"_s, m_overflow->currentData());
    settings.setValue(u"offlineBuffer"_s, m_offlineBuffer->isChecked());
    settings.setValue(u"minimumLevel"_s, m_minimumLevel->currentData());
    settings.setValue(u"contextEntries"_s, m_contextEntries->value());
    settings.setValue(u"captureQtMessages"_s, m_captureQtMessages->isChecked());
    settings.setValue(u"staticLabels"_s, m_staticLabels->toStringList());
    m_access->saveSettings(settings);
    settings.endGroup();
}
