// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QElapsedTimer>
#include <QtCore/QObject>
#include <QtCore/QTimer>

#include "consolewindow.h"

/*!
    Drives the console for `--screenshot FILE`: fills the Send tab, injects two failing
    pushes, runs a small paced burst, waits until every entry was delivered and the
    chart shows it, then saves the window as a PNG.
*/
class ScreenshotTour : public QObject
{
    Q_OBJECT

public:
    ScreenshotTour(ConsoleWindow *window, const QString &path, QObject *parent = nullptr);

    //! The tab shown in the picture (default: Send).
    void setTab(ConsoleWindow::Tab tab) { m_tab = tab; }
    void start();

Q_SIGNALS:
    //! Once: \a ok when everything was delivered and the PNG was written.
    void finished(bool ok, const QString &message);

private:
    void poll();
    void capture(bool delivered);

    ConsoleWindow *m_window;
    QString m_path;
    QTimer m_poll;
    QElapsedTimer m_clock;
    qint64 m_settledAt = -1;
    bool m_queried = false;
    ConsoleWindow::Tab m_tab = ConsoleWindow::Tab::Send;
};
