// SPDX-License-Identifier: MIT
#pragma once

#include "burstgenerator.h"

#include <QLoki/LokiTypes>

#include <QtCore/QMap>
#include <QtCore/QVariantMap>
#include <QtWidgets/QWidget>

class KeyValueTable;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSettings;
class QSpinBox;

/*!
    The Send tab: one entry (level, message, stream labels, structured metadata) or a
    burst of them. The panel only describes what to send; the window sends it.
*/
class SendPanel : public QWidget
{
    Q_OBJECT

public:
    explicit SendPanel(QWidget *parent = nullptr);

    QLoki::Level level() const;
    void setLevel(QLoki::Level level);
    QString message() const;
    void setMessage(const QString &message);
    QMap<QString, QString> labels() const;
    QVariantMap metadata() const;
    KeyValueTable *labelsTable() const { return m_labels; }
    KeyValueTable *metadataTable() const { return m_metadata; }

    //! The burst the form describes, with the level, message, labels and metadata above.
    BurstGenerator::Plan burstPlan() const;
    void setBurst(int count, double ratePerSecond, int threads);

    void setBurstRunning(bool running);
    //! Shows that the running burst was asked to stop, and how many of its logging calls
    //! still wait (for room in the buffer, with "When full: Block the caller").
    void setBurstStopping(int waitingCalls);
    void setBurstProgress(int sent, int total);

    void loadSettings(QSettings &settings);
    void saveSettings(QSettings &settings) const;

Q_SIGNALS:
    void sendRequested();
    void burstStartRequested();
    void burstStopRequested();

private:
    QComboBox *m_level;
    QLineEdit *m_message;
    KeyValueTable *m_labels;
    KeyValueTable *m_metadata;
    QPushButton *m_send;
    QSpinBox *m_burstCount;
    QDoubleSpinBox *m_burstRate;
    QSpinBox *m_burstThreads;
    QPushButton *m_burstStart;
    QPushButton *m_burstStop;
    QProgressBar *m_burstProgress;
    int m_burstTotal = 0;
    bool m_stopping = false;
    int m_waitingCalls = 0;
};
