// SPDX-License-Identifier: MIT
// What the console's tests share: a window driven through its widgets, and reads of the
// built-in receiver that never block the test's event loop.
#pragma once

#include "consolewindow.h"
#include "readbackpanel.h"
#include "receiverhost.h"

#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtGui/QPixmap>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QAbstractButton>
#include <QtWidgets/QDoubleSpinBox>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QSpinBox>

#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

namespace ConsoleTest {

template<typename W>
W *child(QWidget *window, const QString &name)
{
    W *widget = window->findChild<W *>(name);
    if (!widget)
        qWarning("no widget named %s", qPrintable(name));
    return widget;
}

//! Clicks the button \a name; false (with a warning) when it is missing or disabled.
inline bool click(QWidget *window, const QString &name)
{
    auto *button = child<QAbstractButton>(window, name);
    if (!button || !button->isEnabled()) {
        qWarning("button %s is missing or disabled", qPrintable(name));
        return false;
    }
    button->click();
    return true;
}

/*!
    Runs \a query in the Read back tab (shown first, as a user would) and waits up to
    \a timeoutMs for it: the arguments of ReadBackPanel::queryFinished() (rows, error), or
    none when it did not finish.
*/
inline QVariantList readBack(ConsoleWindow *window, const QString &query, int timeoutMs = 10000)
{
    window->showTab(ConsoleWindow::Tab::ReadBack);
    child<QLineEdit>(window, QStringLiteral("queryEdit"))->setText(query);
    QSignalSpy done(window->readBackPanel(), &ReadBackPanel::queryFinished);
    if (!click(window, QStringLiteral("queryButton")) || !done.wait(timeoutMs))
        return {};
    return done.at(0);
}

inline void setSpin(QWidget *window, const QString &name, double value)
{
    if (auto *spin = window->findChild<QSpinBox *>(name))
        spin->setValue(int(value));
    else if (auto *dspin = window->findChild<QDoubleSpinBox *>(name))
        dspin->setValue(value);
    else
        qWarning("no spin box named %s", qPrintable(name));
}

/*!
    Milliseconds \a action took on the calling (GUI) thread. A GUI thread that does not
    come back within \a freezeMs ends the test with a message instead of hanging it.
*/
template<typename F>
qint64 timed(F action, int freezeMs = 30000)
{
    std::mutex mutex;
    std::condition_variable returned;
    bool done = false;
    std::thread watchdog([&] {
        std::unique_lock lock(mutex);
        if (!returned.wait_for(lock, std::chrono::milliseconds(freezeMs), [&] { return done; }))
            qFatal("the GUI thread froze: no return within %d ms", freezeMs);
    });
    QElapsedTimer clock;
    clock.start();
    action();
    const qint64 elapsed = clock.elapsed();
    {
        std::lock_guard lock(mutex);
        done = true;
    }
    returned.notify_all();
    watchdog.join();
    return elapsed;
}

/*!
    Runs \a f with the built-in receiver on its thread and returns what it returns,
    running the test's event loop meanwhile (at most \a timeoutMs; a default value then).
    The window itself never waits for its receiver; a test may, to read what it stored.
*/
template<typename F>
auto onReceiver(ReceiverHost *host, F f, int timeoutMs = 10000)
{
    using Result = decltype(f(std::declval<LokiReceiver &>()));
    auto promise = std::make_shared<std::promise<Result>>();
    std::future<Result> future = promise->get_future();
    // A snapshot follows every posted job: its arrival wakes the wait below.
    QSignalSpy snapshots(host, &ReceiverHost::snapshotChanged);
    host->post([promise, f](LokiReceiver &receiver) { promise->set_value(f(receiver)); });
    QElapsedTimer clock;
    clock.start();
    while (future.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
        const qint64 left = timeoutMs - clock.elapsed();
        if (left <= 0 || !snapshots.wait(int(left))) {
            if (future.wait_for(std::chrono::seconds(0)) == std::future_status::ready)
                break;
            qWarning("the built-in receiver did not answer within %d ms", timeoutMs);
            return Result();
        }
    }
    return future.get();
}

//! Saves \a widget as \a name.png in $QLOKI_SCREENSHOT_DIR, when it is set.
inline void saveScreenshot(QWidget *widget, const QString &name)
{
    const QString directory = qEnvironmentVariable("QLOKI_SCREENSHOT_DIR");
    if (directory.isEmpty())
        return;
    QDir().mkpath(directory);
    const QString path = directory + u'/' + name + QStringLiteral(".png");
    if (widget->grab().save(path, "PNG"))
        qInfo("wrote %s", qPrintable(path));
    else
        qWarning("cannot write %s", qPrintable(path));
}

//! Waits for \a window's first Apply (ready()); false when it does not come.
inline bool waitUntilReady(ConsoleWindow *window, int timeoutMs = 10000)
{
    if (window->isReady())
        return true;
    QSignalSpy ready(window, &ConsoleWindow::ready);
    return ready.wait(timeoutMs);
}

/*!
    A console window as a user first meets it (no saved settings), shown at a size where every
    panel has room; false when its first Apply does not come.
*/
inline bool openWindow(std::unique_ptr<ConsoleWindow> *window)
{
    ConsoleWindow::Options options;
    options.useSettings = false;
    *window = std::make_unique<ConsoleWindow>(options);
    (*window)->resize(1200, 800);
    (*window)->show();
    return waitUntilReady(window->get());
}

} // namespace ConsoleTest
