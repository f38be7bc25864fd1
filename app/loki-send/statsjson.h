// SPDX-License-Identifier: MIT
#pragma once

#include <QLoki/LokiStats>

#include <QtCore/QByteArray>

//! What loki-send measured itself, beside the logger's counters.
struct SendTiming
{
    double elapsedSeconds = 0;   //!< from the first logging call until delivery ended
    double callerNsPerCall = 0;  //!< mean time of one logging call on the logging threads
};

/*!
    The final statistics as one compact JSON object on one line: the LokiStats counters
    in snake_case (dropped as a total and by reason), the state, and \a timing with
    entries_per_s = delivered / elapsed_s.
*/
QByteArray statsToJson(const LokiStats &stats, const SendTiming &timing);
