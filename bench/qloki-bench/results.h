// SPDX-License-Identifier: MIT
// The figures of one qloki-bench run: each with its runs, their median (the figure's value),
// its target and whether the median meets it; printed as a table and written as JSON.
#pragma once

#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <optional>
#include <string>
#include <vector>

namespace bench {

//! What a figure's median is held to.
struct Target
{
    enum class Op { None, Below, AtMost, AtLeast };
    Op op = Op::None;
    double value = 0;

    static Target below(double v) { return {Op::Below, v}; }
    static Target atMost(double v) { return {Op::AtMost, v}; }
    static Target atLeast(double v) { return {Op::AtLeast, v}; }
    bool isSet() const { return op != Op::None; }
    bool metBy(double v) const;
    //! "< 5000", "<= 1", ">= 1000000" with the figure's format.
    std::string text(const char *format) const;
};

struct Figure
{
    std::string key;
    std::string section;
    std::string label;
    std::string unit;
    std::string format = "%.1f";
    std::vector<double> runs;
    double value = 0; //!< the median of runs
    Target target;
    std::string note;

    std::optional<bool> met() const
    {
        return target.isSet() ? std::optional<bool>(target.metBy(value)) : std::nullopt;
    }
};

//! The median of \a values (the mean of the middle two for an even count); 0 when empty.
double median(std::vector<double> values);
//! 1234567.8 as "1,234,568".
std::string grouped(double v);
//! printf-style formatting into a std::string.
std::string formatted(const char *format, double v);

class Results
{
public:
    //! Figures added from now on belong to \a section (the scenario's name).
    void beginSection(const std::string &section) { m_section = section; }
    /*!
        Adds a figure measured once per run in \a runs; its value is their median. Returns
        it for a note. Runs that are not finite (a scenario that could not measure) are left
        out; a figure without any is not added.
    */
    Figure *add(const std::string &key, const std::string &label, const std::string &unit,
                std::vector<double> runs, Target target = {}, const char *format = "%.1f");
    const Figure *find(const std::string &key) const;
    const std::vector<Figure> &figures() const { return m_figures; }

    //! A description of the run (machine, commit, clock, load), written under "run".
    void setRun(const QString &key, const QJsonValue &value) { m_run.insert(key, value); }
    const QJsonObject &run() const { return m_run; }

    //! The table of every figure: label, value, target, met.
    void printTable() const;
    bool writeJson(const QString &path) const;

private:
    std::string m_section;
    std::vector<Figure> m_figures;
    QJsonObject m_run;
};

} // namespace bench
