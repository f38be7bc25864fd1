// SPDX-License-Identifier: MIT
#include "results.h"

#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace bench {

bool Target::metBy(double v) const
{
    switch (op) {
    case Op::None:
        return true;
    case Op::Below:
        return v < value;
    case Op::AtMost:
        return v <= value;
    case Op::AtLeast:
        return v >= value;
    }
    return false;
}

std::string Target::text(const char *format) const
{
    const char *sign = op == Op::Below ? "< "
            : op == Op::AtMost         ? "<= "
            : op == Op::AtLeast        ? ">= "
                                       : "";
    return isSet() ? sign + formatted(format, value) : std::string();
}

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

std::string grouped(double v)
{
    std::string digits = std::to_string(static_cast<long long>(std::llround(std::fabs(v))));
    for (int i = int(digits.size()) - 3; i > 0; i -= 3)
        digits.insert(std::size_t(i), 1, ',');
    return v < 0 ? '-' + digits : digits;
}

std::string formatted(const char *format, double v)
{
    if (std::string(format) == "grouped")
        return grouped(v);
    char text[64];
    std::snprintf(text, sizeof text, format, v);
    return text;
}

Figure *Results::add(const std::string &key, const std::string &label, const std::string &unit,
                     std::vector<double> runs, Target target, const char *format)
{
    runs.erase(std::remove_if(runs.begin(), runs.end(), [](double v) { return !std::isfinite(v); }),
               runs.end());
    if (runs.empty())
        return nullptr;
    Figure f;
    f.key = key;
    f.section = m_section;
    f.label = label;
    f.unit = unit;
    f.format = format;
    f.value = median(runs);
    f.runs = std::move(runs);
    f.target = target;
    m_figures.push_back(std::move(f));
    return &m_figures.back();
}

const Figure *Results::find(const std::string &key) const
{
    for (const Figure &f : m_figures) {
        if (f.key == key)
            return &f;
    }
    return nullptr;
}

void Results::printTable() const
{
    std::string section;
    std::printf("  %-72s %14s  %-14s %s\n", "figure (median of the runs)", "value", "target", "");
    for (const Figure &f : m_figures) {
        if (f.section != section) {
            section = f.section;
            std::printf("  [%s]\n", section.c_str());
        }
        std::string label = f.label;
        if (!f.unit.empty())
            label += ", " + f.unit;
        if (f.runs.size() > 1)
            label += " (" + std::to_string(f.runs.size()) + " runs)";
        const std::optional<bool> met = f.met();
        std::printf("  %-72s %14s  %-14s %s\n", label.c_str(),
                    formatted(f.format.c_str(), f.value).c_str(),
                    f.target.text(f.format.c_str()).c_str(), met ? (*met ? "met" : "MISSED") : "");
    }
}

bool Results::writeJson(const QString &path) const
{
    QJsonArray figures;
    for (const Figure &f : m_figures) {
        QJsonObject o;
        o.insert(QStringLiteral("key"), QString::fromStdString(f.key));
        o.insert(QStringLiteral("section"), QString::fromStdString(f.section));
        o.insert(QStringLiteral("label"), QString::fromStdString(f.label));
        o.insert(QStringLiteral("unit"), QString::fromStdString(f.unit));
        o.insert(QStringLiteral("value"), f.value);
        QJsonArray runs;
        for (const double r : f.runs)
            runs.append(r);
        o.insert(QStringLiteral("runs"), runs);
        if (f.target.isSet()) {
            static const char *const ops[] = {"", "<", "<=", ">="};
            o.insert(QStringLiteral("target"),
                     QJsonObject {{QStringLiteral("op"), QLatin1String(ops[int(f.target.op)])},
                                  {QStringLiteral("value"), f.target.value}});
            o.insert(QStringLiteral("met"), *f.met());
        } else {
            o.insert(QStringLiteral("target"), QJsonValue::Null);
            o.insert(QStringLiteral("met"), QJsonValue::Null);
        }
        if (!f.note.empty())
            o.insert(QStringLiteral("note"), QString::fromStdString(f.note));
        figures.append(o);
    }
    const QJsonObject root {{QStringLiteral("format"), 2},
                            {QStringLiteral("run"), m_run},
                            {QStringLiteral("figures"), figures}};
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return file.write(QJsonDocument(root).toJson(QJsonDocument::Indented)) > 0;
}

} // namespace bench
