// SPDX-License-Identifier: MIT
#pragma once

#include "model/lokiconfig_p.h"

#include <QtCore/QStringView>

#include <optional>
#include <variant>
#include <vector>

namespace QLoki::detail {

//! A text option naming a file that validate() checks can be read.
struct FileField
{
    QString LokiConfigData::*member;
};

//! Extra HTTP headers: a map of strings as the labels are, written `Name: value,Name2: v`
//! in the environment (labels: `k=v,k2=v2`).
struct HeaderField
{
    QMap<QString, QString> LokiConfigData::*member;
};

//! The rules of LokiConfig::redactions(): an array of {"pattern", "replacement"} objects in
//! JSON; validate() checks each pattern.
struct RedactionsField
{
    QList<QLoki::Redaction> LokiConfigData::*member;
};

//! An enumeration, set by the name of a value; see choice().
struct ChoiceField
{
    //! Sets the option to the value \a name names; false (and no change) when none does.
    bool (*parse)(LokiConfigData *config, const QString &name);
    //! True when the option has the same value in \a a and \a b.
    bool (*equal)(const LokiConfigData &a, const LokiConfigData &b);
    const char *what;  //!< what a value is, for the environment's messages: "a level"
    const char *names; //!< the names accepted: "debug, info, warning, error, critical"
};

/*!
    Which field an option is, and so how it is read:
    - QString: text;
    - FileField: text naming a readable file;
    - bool: true or false (JSON), true/false, 1/0, yes/no, on/off (environment);
    - int, qint64: a whole number;
    - std::chrono::milliseconds: a duration, given in seconds (fractions allowed) outside C++;
    - QMap<QString, QUrl>: named URLs; the environment sets the "loki" one;
    - QMap<QString, QString>: labels, an object of strings; the environment adds `k=v,k2=v2`;
    - HeaderField: headers, as labels but `Name: value` in the environment;
    - ChoiceField: an enumeration, by name ("drop_oldest" reads as "drop-oldest");
    - RedactionsField: redaction rules, an array of objects (JSON only).
*/
using OptionField = std::variant<QString LokiConfigData::*, FileField, bool LokiConfigData::*,
                                 int LokiConfigData::*, qint64 LokiConfigData::*,
                                 std::chrono::milliseconds LokiConfigData::*,
                                 QMap<QString, QUrl> LokiConfigData::*,
                                 QMap<QString, QString> LokiConfigData::*, HeaderField, ChoiceField,
                                 RedactionsField>;

//! The smallest value validate() accepts for a number or a duration.
struct OptionMinimum
{
    qint64 value = 0;       //!< in the option's unit (milliseconds for durations)
    bool exclusive = false; //!< "greater than" rather than "at least"
    const char *note = nullptr; //!< said after the bound, e.g. "1 KiB"
    //! When set, checked only while this option is not empty.
    QString LokiConfigData::*onlyWith = nullptr;
};

//! One option of LokiConfig: the row of the table all readers share.
struct ConfigOption
{
    ConfigOption(const char *name, const char *jsonKey, const char *envVar, OptionField field,
                 std::optional<OptionMinimum> minimum = std::nullopt)
        : name(name)
        , jsonKey(jsonKey)
        , envVar(envVar)
        , field(field)
        , minimum(minimum)
    {
    }

    const char *name;    //!< the C++ name: name() and setName(); validate() says it
    const char *jsonKey; //!< its key in fromJson()
    const char *envVar;  //!< its variable in applyEnvironment(); nullptr when none
    OptionField field;
    std::optional<OptionMinimum> minimum; //!< checked by validate()
};

//! Every option of LokiConfig, in the order of lokiconfig.h (lokiconfigoptions.cpp).
const std::vector<ConfigOption> &configOptions();
//! The option read from the JSON key \a key; nullptr when there is none.
const ConfigOption *findJsonOption(QStringView key);
//! True when every option of the table is equal in \a a and \a b.
bool sameOptions(const LokiConfigData &a, const LokiConfigData &b);

//! \a name as the parsers of enumerations want it: config files and shells tend to spell
//! names with underscores ("drop_oldest" for "drop-oldest").
QString dashed(const QString &name);
//! \a seconds as a duration; false when it is not finite or beyond a sane range.
bool secondsToDuration(double seconds, std::chrono::milliseconds *out);

//! The ChoiceField of the enumeration \a Member, parsed by \a Parse.
template<auto Member, auto Parse>
ChoiceField choice(const char *what, const char *names)
{
    return ChoiceField{
        [](LokiConfigData *config, const QString &name) {
            return Parse(dashed(name), &(config->*Member));
        },
        [](const LokiConfigData &a, const LokiConfigData &b) { return a.*Member == b.*Member; },
        what, names};
}

//! std::visit() with one lambda per alternative.
template<typename... Visitors>
struct Overloaded : Visitors...
{
    using Visitors::operator()...;
};
template<typename... Visitors>
Overloaded(Visitors...) -> Overloaded<Visitors...>;

} // namespace QLoki::detail
