// SPDX-License-Identifier: MIT
#pragma once

#include <QLoki/lokitypes.h>

#include <QtCore/QMetaMethod>
#include <QtCore/QObject>
#include <QtCore/QPointer>

class LokiLogger;

namespace QLoki::detail {

/*!
    Receives any signal and logs it with its arguments (LokiLogger::logSignal()). It has
    no moc slots of its own: like QSignalSpy, it answers the first method index past
    QObject's in qt_metacall(), where the arguments arrive as void pointers described by
    the signal's QMetaMethod.
*/
class SignalRelay : public QObject
{
public:
    SignalRelay(LokiLogger *logger, const QMetaMethod &signal, Level level, const QString &message);
    int qt_metacall(QMetaObject::Call call, int id, void **arguments) override;

private:
    void relay(void **arguments);

    QPointer<LokiLogger> m_logger;
    QMetaMethod m_signal;
    Level m_level;
    QString m_message;
};

} // namespace QLoki::detail
