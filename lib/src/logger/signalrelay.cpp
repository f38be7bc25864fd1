// SPDX-License-Identifier: MIT
#include "logger/signalrelay_p.h"

#include <QLoki/lokilogger.h>

namespace QLoki::detail {

SignalRelay::SignalRelay(LokiLogger *logger, const QMetaMethod &signal, Level level,
                         const QString &message)
    : m_logger(logger)
    , m_signal(signal)
    , m_level(level)
    , m_message(message.isEmpty() ? QString::fromLatin1(signal.name()) : message)
{
}

int SignalRelay::qt_metacall(QMetaObject::Call call, int id, void **arguments)
{
    id = QObject::qt_metacall(call, id, arguments);
    if (id < 0)
        return id;
    if (call == QMetaObject::InvokeMetaMethod) {
        if (id == 0)
            relay(arguments);
        --id;
    }
    return id;
}

void SignalRelay::relay(void **arguments)
{
    LokiLogger *logger = m_logger.data();
    if (!logger)
        return;
    QVariantMap metadata;
    metadata.insert(QStringLiteral("signal"), QString::fromLatin1(m_signal.name()));
    const QList<QByteArray> names = m_signal.parameterNames();
    for (int i = 0; i < m_signal.parameterCount(); ++i) {
        QString name = QString::fromLatin1(names.value(i));
        if (name.isEmpty())
            name = QStringLiteral("arg%1").arg(i);
        const QMetaType type = m_signal.parameterMetaType(i);
        // arguments[0] is the return value; the signal's arguments follow.
        if (type.isValid())
            metadata.insert(name, QVariant(type, arguments[i + 1]));
        else
            metadata.insert(name, QString::fromLatin1(m_signal.parameterTypeName(i)));
    }
    // Explicit form: argument names are metadata even when they start with "label_".
    logger->log(m_level, m_message, QMap<QString, QString>(), metadata);
}

} // namespace QLoki::detail
