// SPDX-License-Identifier: MIT
// The client process of the soak: an application that logs through the global Loki API
// with a disk spool and the default configuration otherwise, from several threads and
// through Qt's message hook, each entry carrying a unique id.
#pragma once

#include <QtCore/QString>
#include <QtCore/QUrl>

namespace soak {

struct ClientOptions
{
    QUrl url;
    QString spoolDirectory;
    //! The SharedBlock file the driver created for this run.
    QString sharedFile;
    //! JSON lines: the periodic and final LokiStats.
    QString statsFile;
    int run = 1;
    //! API entries per second, all producers together; 0 logs nothing and exits at once
    //! after delivering what the spool holds.
    int rate = 2000;
    //! Qt messages per second through the hook, all producers together.
    int hookRate = 100;
    int producers = 4;
    //! How long the exit waits for everything to be delivered before shutting down.
    int drainSeconds = 60;
};

/*!
    Runs the client until SIGTERM (or, with rate 0, until the spool is delivered): logs
    `soak id=<run>:<producer>:<a|q>:<seq>` lines at the rate asked, publishes its counts in
    the shared block, writes its LokiStats every second and at the end, and on SIGTERM stops
    the producers, flushes, shuts the logger down and exits (0 when everything was
    delivered). Needs a QCoreApplication.
*/
int runClient(const ClientOptions &options);

} // namespace soak
