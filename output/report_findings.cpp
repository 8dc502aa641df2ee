#include "output/report_findings.h"

#include <cctype>
#include <cmath>

#include <fmt/format.h>

#include "output/summary_table.h"
#include "sim/comparison.h"

namespace fourp::report {

namespace {

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

// 1. The headline outcome of the baseline, per 10,000 people of the subgroup when known.
std::string baseline_sentence(const Results& r, const Subgroup& group, size_t headline,
                              const OutcomeSpec& h) {
  const ArmResult* base = find_arm(r, r.baseline_arm);
  if (base == nullptr) return "";
  const std::vector<double> v = total_values(*base, headline);
  const Interval i = mean_interval(v);
  if (!std::isfinite(i.mean)) return "";
  const std::string who = capitalised(
      baseline_words(r) == "no programme" ? "with no programme" : "in " + baseline_words(r));
  const std::string horizon = horizon_words(r.steps, r.step_unit);
  if (h.scale == Scale::share)
    return fmt::format("{}, the {} was {} over {} (95% interval {} to {}).", who, h.label,
                       percent(i.mean), horizon, percent(i.low), percent(i.high));
  if (!group.known())
    return fmt::format("{}, {} {} occurred over {} (95% interval {}).", who, format_number(i.mean),
                       h.label, horizon, range_words(i.low, i.high));
  return fmt::format("{}, {} {} occurred among {} {} over {}: {} per 10,000 {} (95% interval {}).",
                     who, format_number(i.mean), h.label, people(group.people), group.label,
                     horizon, format_number(group.per_10k(i.mean)), group.label,
                     range_words(group.per_10k(i.low), group.per_10k(i.high)));
}

// 2. Each arm's improvement on the headline, with its cost per unit where it improved.
std::string arm_sentence(const Results& r, const Subgroup& group, const ArmResult& arm) {
  const Improvement& imp = r.outputs.improvement;
  const Difference* d = find_difference(r, arm.name, imp.name);
  if (!usable(d)) return "";
  const std::string base = baseline_words(r);
  const std::string over = horizon_short(r.steps, r.step_unit);
  const bool scaled = group.known();
  const auto s = [&](double x) { return scaled ? group.per_10k(x) : x; };
  const std::string per = scaled ? " per 10,000 " + group.label : "";
  switch (sign_of(*d)) {
    case Sign::positive: {
      std::string out = fmt::format("{} {} {} {}{} over {} compared with {} (95% interval {}",
                                    capitalised(arm.name), imp.verb, format_number(s(d->mean)),
                                    imp.noun, per, over, base, range_words(s(d->low), s(d->high)));
      if (scaled) out += fmt::format("; {} {} in all", format_number(d->mean), imp.noun);
      out += ")";
      const Difference* c =
          imp.cost_name.empty() ? nullptr : find_difference(r, arm.name, imp.cost_name);
      if (usable(c)) {
        out += fmt::format(", at {} per {}", money(r, c->mean), imp.unit);
        if (std::isfinite(c->low) && !std::isnan(c->high))
          out += fmt::format(" (95% interval {})", range_words(c->low, c->high));
      }
      return out + ".";
    }
    case Sign::negative: {
      std::string out = fmt::format("{} led to {} more {}{} over {} than {} (95% interval {}",
                                    capitalised(arm.name), format_number(-s(d->mean)), imp.noun,
                                    per, over, base, range_words(-s(d->high), -s(d->low)));
      if (scaled) out += fmt::format("; {} more {} in all", format_number(-d->mean), imp.noun);
      return out + ").";
    }
    case Sign::unclear:
      break;
  }
  return fmt::format(
      "With {}, the difference in {} from {} over {} is not distinguishable from zero ({} {}{}, "
      "95% interval {}).",
      arm.name, imp.noun, base, over, format_number(s(d->mean)), imp.label, per,
      range_words(s(d->low), s(d->high)));
}

// 3. Every other share the model puts in its summary (e.g. the engaged share at the end): the
// baseline's value and each arm's difference in percentage points.
std::string share_sentence(const Results& r, const std::vector<const ArmResult*>& arms, size_t k,
                           const OutcomeSpec& o) {
  const ArmResult* base = find_arm(r, r.baseline_arm);
  if (base == nullptr) return "";
  const double share = total_mean(*base, k);
  std::vector<std::string> parts;
  for (const ArmResult* arm : arms) {
    const Difference* d = find_difference(r, arm->name, o.name);
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
  return fmt::format("With {}, the {} was {} over {}; the difference was {}.", baseline_words(r),
                     o.label, percent(share), horizon_short(r.steps, r.step_unit), list);
}

// For models that declare neither a headline nor summary shares: each arm's difference in its
// first total.
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

std::vector<std::string> key_findings(const Results& r, const Subgroup& group) {
  std::vector<std::string> out;
  const std::vector<const ArmResult*> arms = compared_arms(r);
  const auto add = [&](std::string s) {
    if (!s.empty()) out.push_back(std::move(s));
  };
  const OutputDeclarations& decl = r.outputs;
  const std::optional<size_t> headline = find_name(r.total_names, decl.headline);
  if (headline && decl.headline_outcome()) {
    add(baseline_sentence(r, group, *headline, *decl.headline_outcome()));
    if (decl.improvement_sign() != 0)
      for (const ArmResult* arm : arms) add(arm_sentence(r, group, *arm));
  }
  for (size_t k = 0; k < r.total_names.size(); ++k)
    if (const OutcomeSpec* o = decl.find_outcome(r.total_names[k]);
        o && o->summary && o->scale == Scale::share && o->name != decl.headline)
      add(share_sentence(r, arms, k, *o));
  if (out.empty())
    for (std::string& s : generic_sentences(r, arms)) add(std::move(s));
  return out;
}

}  // namespace fourp::report
