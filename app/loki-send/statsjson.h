// SPDX-License-Identifier: MIT
#pragma once

#include <QLoki/LokiStats>

#include <QtCore/QByteArray>
#include <QtCore/QString>

//! What loki-send measured itself, beside the logger's counters.
struct SendReport
{
    double elapsedSeconds = 0;   //!< from the first logging call until delivery ended
    double callerNsPerCall = 0;  //!< mean time of one logging call on the logging threads
    quint64 linesCut = 0; //!< input lines longer than the line limit
    quint64 bytesCut = 0; //!< bytes of those lines that were not sent
    QString interruptedBy; //!< "SIGINT" or "SIGTERM" when one ended the input early
    QString readError; //!< why standard input could not be read; empty if it could
};

/*!
    The final statistics as one compact JSON object on one line: the LokiStats counters
    in snake_case (dropped as a total and by reason), the state, and \a report with
    entries_per_s = delivered / elapsed_s, lines_cut and bytes_cut, and interrupted_by and
    read_error when they are not empty.
*/
QByteArray statsToJson(const LokiStats &stats, const SendReport &report);
