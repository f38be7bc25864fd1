// SPDX-License-Identifier: MIT
#pragma once

#include <QLoki/LokiConfig>
#include <QLoki/LokiTypes>

#include <QtCore/QMap>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QVariantMap>

#include <chrono>

//! Where loki-send takes its entries from.
enum class EntrySource {
    Arguments, //!< the positional arguments, joined by spaces, as one entry (as logger(1))
    Stdin,     //!< one entry per non-empty line of standard input
    Synthetic  //!< --count numbered entries, split over --threads threads
};

//! Everything the command line of loki-send asks for.
struct SendOptions
{
    LokiConfig config;
    QLoki::Level level = QLoki::Level::Info;
    QMap<QString, QString> labels;
    QVariantMap metadata;

    EntrySource source = EntrySource::Stdin;
    QString message;
    qint64 count = 0;
    int threads = 1;

    std::chrono::milliseconds timeout = std::chrono::seconds(30);
    bool statsJson = false;
    bool quiet = false;
};

enum class ParseOutcome {
    Run,         //!< options are valid; send
    ExitSuccess, //!< --help or --version was answered on stdout
    UsageError   //!< \a error says what is wrong; exit with status 2
};

/*!
    Parses \a arguments (argv, program name first) into \a options. The configuration
    starts from loki-send's own defaults (app "loki-send", overflow "block"), then the
    LOKI_* environment variables (LokiConfig::applyEnvironment()), then the options.
    \a error receives one line per problem; \a output the help or version text.
*/
ParseOutcome parseSendOptions(const QStringList &arguments, SendOptions *options,
                              QString *output, QString *error);
