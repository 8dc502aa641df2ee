#include "output/report_findings.h"

#include <cctype>
#include <cmath>

#include <fmt/format.h>

#include "output/summary_table.h"
#include "sim/comparison.h"

namespace fourp::report {

namespace {

std::string capitalised(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

// The claim an interval supports.
enum class Sign { positive, negative, unclear };
Sign sign_of(const Difference& d) {
  if (d.low > 0) return Sign::positive;
  if (d.high < 0) return Sign::negative;
  return Sign::unclear;  // crosses or touches zero, or NaN
}

bool usable(const Difference* d) {
  return d != nullptr && std::isfinite(d->mean);
}

std::string money(const Results& r, double x) {
  return r.currency.empty() ? format_number(x) : r.currency + " " + format_number(x);
}

// Arms other than the baseline, in the scenario's order, at most kMaxFindingArms.
std::vector<const ArmResult*> compared_arms(const Results& r) {
  std::vector<const ArmResult*> out;
  for (const ArmResult& a : r.arms)
    if (a.name != r.baseline_arm && out.size() < kMaxFindingArms) out.push_back(&a);
  return out;
}

std::string baseline_sentence(const Results& r, const AtRisk& at_risk, size_t exploited) {
  const ArmResult* base = find_arm(r, r.baseline_arm);
  if (base == nullptr) return "";
  const std::vector<double> v = total_values(*base, exploited);
  const Interval i = mean_interval(v);
  if (!std::isfinite(i.mean)) return "";
  const std::string who = capitalised(
      baseline_words(r) == "no programme" ? "with no programme" : "in " + baseline_words(r));
  const std::string horizon = horizon_words(r.steps, r.step_unit);
  if (!at_risk.known())
    return fmt::format("{}, {} cases of exploitation occurred over {} (95% interval {}).", who,
                       format_number(i.mean), horizon, range_words(i.low, i.high));
  return fmt::format(
      "{}, {} cases of exploitation occurred among {} at-risk people over {}: {} per 10,000 "
      "at-risk people (95% interval {}).",
      who, format_number(i.mean), people(at_risk.people), horizon,
      format_number(at_risk.per_10k(i.mean)),
      range_words(at_risk.per_10k(i.low), at_risk.per_10k(i.high)));
}

std::string arm_sentence(const Results& r, const AtRisk& at_risk, const ArmResult& arm) {
  const Difference* d = find_difference(r, arm.name, "cases_averted");
  if (!usable(d)) return "";
  const std::string base = baseline_words(r);
  const std::string over = horizon_short(r.steps, r.step_unit);
  const bool scaled = at_risk.known();
  const auto s = [&](double x) { return scaled ? at_risk.per_10k(x) : x; };
  const std::string per = scaled ? " per 10,000 at-risk people" : "";
  switch (sign_of(*d)) {
    case Sign::positive: {
      std::string out = fmt::format(
          "{} averted {} cases{} over {} compared with {} (95% interval {}", capitalised(arm.name),
          format_number(s(d->mean)), per, over, base, range_words(s(d->low), s(d->high)));
      if (scaled) out += fmt::format("; {} cases in all", format_number(d->mean));
      out += ")";
      const Difference* c = find_difference(r, arm.name, "cost_per_case_averted");
      if (usable(c)) {
        out += fmt::format(", at {} per case averted", money(r, c->mean));
        if (std::isfinite(c->low) && !std::isnan(c->high))
          out += fmt::format(" (95% interval {})", range_words(c->low, c->high));
      }
      return out + ".";
    }
    case Sign::negative: {
      std::string out = fmt::format("{} led to {} more cases{} over {} than {} (95% interval {}",
                                    capitalised(arm.name), format_number(-s(d->mean)), per, over,
                                    base, range_words(-s(d->high), -s(d->low)));
      if (scaled) out += fmt::format("; {} more cases in all", format_number(-d->mean));
      return out + ").";
    }
    case Sign::unclear:
      break;
  }
  return fmt::format(
      "With {}, the difference in cases from {} over {} is not distinguishable from zero ({} "
      "cases averted{}, 95% interval {}).",
      arm.name, base, over, format_number(s(d->mean)), per, range_words(s(d->low), s(d->high)));
}

std::string engaged_sentence(const Results& r, const std::vector<const ArmResult*>& arms) {
  const ArmResult* base = find_arm(r, r.baseline_arm);
  if (base == nullptr) return "";
  // The baseline's final engaged share from the series (last row), else from the totals.
  double share = std::nan("");
  if (const auto m = find_name(r.series_names, "engaged"))
    share = series_band(r, *base, *m, false).mean.back();
  else if (const auto t = find_name(r.total_names, "engaged_final"))
    share = total_mean(*base, *t);
  std::vector<std::string> parts;
  for (const ArmResult* arm : arms) {
    const Difference* d = find_difference(r, arm->name, "engaged_final");
    if (!usable(d)) continue;
    if (sign_of(*d) == Sign::unclear)
      parts.push_back(
          fmt::format("not distinguishable from zero with {} ({} points, 95% interval {} to {})",
                      arm->name, points(d->mean), points(d->low), points(d->high)));
    else
      parts.push_back(fmt::format("{} percentage points with {} (95% interval {} to {})",
                                  points(d->mean), arm->name, points(d->low), points(d->high)));
  }
  if (parts.empty() || std::isnan(share)) return "";
  std::string list;
  for (size_t i = 0; i < parts.size(); ++i)
    list += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  return fmt::format(
      "At the end of {}, {} of people were engaged against trafficking with {}; "
      "the difference was {}.",
      horizon_short(r.steps, r.step_unit), percent(share), baseline_words(r), list);
}

// For models without cases or engagement: each arm's difference in its first total.
std::vector<std::string> generic_sentences(const Results& r,
                                           const std::vector<const ArmResult*>& arms) {
  std::vector<std::string> out;
  if (r.total_names.empty()) return out;
  const std::string& total = r.total_names.front();
  for (const ArmResult* arm : arms) {
    const Difference* d = find_difference(r, arm->name, total);
    if (!usable(d)) continue;
    if (sign_of(*d) == Sign::unclear)
      out.push_back(fmt::format(
          "With {}, the difference in {} from {} is not distinguishable from zero ({}, 95% "
          "interval {}).",
          arm->name, total, baseline_words(r), format_number(d->mean),
          range_words(d->low, d->high)));
    else
      out.push_back(fmt::format("{} changed {} by {} compared with {} (95% interval {}).",
                                capitalised(arm->name), total, format_number(d->mean),
                                baseline_words(r), range_words(d->low, d->high)));
  }
  return out;
}

}  // namespace

std::string baseline_words(const Results& r) {
  const ArmResult* base = find_arm(r, r.baseline_arm);
  if (base != nullptr && base->interventions.empty()) return "no programme";
  return fmt::format("the {} arm", r.baseline_arm);
}

std::vector<std::string> key_findings(const Results& r, const AtRisk& at_risk) {
  std::vector<std::string> out;
  const std::vector<const ArmResult*> arms = compared_arms(r);
  const auto add = [&](std::string s) {
    if (!s.empty()) out.push_back(std::move(s));
  };
  const auto exploited = find_name(r.total_names, "exploited");
  if (exploited) {
    add(baseline_sentence(r, at_risk, *exploited));
    for (const ArmResult* arm : arms) add(arm_sentence(r, at_risk, *arm));
  }
  add(engaged_sentence(r, arms));
  if (out.empty())
    for (std::string& s : generic_sentences(r, arms)) add(std::move(s));
  return out;
}

}  // namespace fourp::report
