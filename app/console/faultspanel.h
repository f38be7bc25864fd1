// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QTimer>
#include <QtWidgets/QWidget>

class QLabel;
class QPushButton;
class QSpinBox;
class ReceiverHost;

/*!
    The Faults tab: outages, failing pushes, rate limiting and latency, injected into
    the built-in receiver. Disabled while the console sends to an external Loki.
*/
class FaultsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit FaultsPanel(ReceiverHost *receiver, QWidget *parent = nullptr);

    //! false while an external Loki is used.
    void setBuiltinActive(bool active);

    void goOffline(int seconds);
    void failNext(int count, int httpStatus);
    void rateLimit(int count, int retryAfterSeconds);
    void setLatency(int milliseconds);
    void clearFaults();

private:
    void refresh();

    ReceiverHost *m_receiver;
    QWidget *m_controls;
    QLabel *m_note;
    QSpinBox *m_offlineSeconds;
    QSpinBox *m_failCount;
    QSpinBox *m_failStatus;
    QSpinBox *m_rateLimitCount;
    QSpinBox *m_retryAfter;
    QSpinBox *m_latency;
    QLabel *m_current;
    QTimer m_refresh;
};
