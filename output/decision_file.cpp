#include "output/decision_file.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace fourp {

namespace {

h5::Field numbers(std::string name, std::vector<double> v) {
  return {std::move(name), h5::Type::f64, std::move(v), {}};
}
h5::Field strings(std::string name, std::vector<std::string> v) {
  return {std::move(name), h5::Type::string, {}, std::move(v)};
}

h5::Error error(std::string_view message) {
  return h5::Error(std::string(message));
}

const h5::Field& need(const h5::Table& t, const std::string& path, const std::string& name,
                      bool numeric) {
  for (const h5::Field& f : t.fields)
    if (f.name == name) {
      if (numeric == (f.type == h5::Type::string))
        throw error(fmt::format("field '{}' of {} has the wrong type", name, path));
      return f;
    }
  throw error(fmt::format("missing field '{}' in {}", name, path));
}

size_t arm_index(const DecisionAnalysis& d, const std::string& name, const std::string& path) {
  const auto it = std::find(d.arms.begin(), d.arms.end(), name);
  if (it == d.arms.end())
    throw error(fmt::format("{} names arm '{}', which /decision/arms does not list", path, name));
  return static_cast<size_t>(it - d.arms.begin());
}

}  // namespace

std::string_view status_name(FrontierArm::Status s) {
  switch (s) {
    case FrontierArm::Status::dominated:
      return "dominated";
    case FrontierArm::Status::extendedly_dominated:
      return "extendedly dominated";
    default:
      return "frontier";
  }
}

void write_decision(const h5::Handle& file, const DecisionAnalysis& d) {
  h5::Handle g = h5::create_group(file, "decision");
  h5::write_attr(g, "effect", d.effect);
  h5::write_attr(g, "baseline", d.baseline);
  h5::write_attr(g, "parameters_drawn", int64_t{d.parameters_drawn ? 1 : 0});

  const size_t n = d.arms.size();
  std::vector<std::string> status, previous;
  std::vector<double> icer;
  for (size_t a = 0; a < n; ++a) {
    const FrontierArm& f = d.frontier[a];
    status.emplace_back(status_name(f.status));
    const bool has_previous = f.status == FrontierArm::Status::frontier && f.previous != a;
    previous.push_back(has_previous ? d.arms[f.previous] : "");
    icer.push_back(f.icer);
  }
  h5::write_table(g, "arms",
                  {{strings("arm", d.arms), strings("status", status),
                    strings("compared_with", previous), numbers("mean_cost", d.mean_cost),
                    numbers("mean_effect", d.mean_effect), numbers("icer", icer),
                    numbers("probability_most_effective", d.probability_most_effective)}},
                  h5::Compress::no);

  h5::Table acc;
  std::vector<double> evpi;
  std::vector<std::string> best;
  for (const Acceptability& x : d.acceptability) {
    evpi.push_back(x.evpi);
    best.push_back(d.arms[x.best_expected]);
  }
  acc.fields = {numbers("lambda", d.lambdas), numbers("evpi", evpi),
                strings("best_expected", best)};
  for (size_t a = 0; a < n; ++a) {
    std::vector<double> p, nmb;
    for (const Acceptability& x : d.acceptability) {
      p.push_back(x.probability_best[a]);
      nmb.push_back(x.expected_nmb[a]);
    }
    acc.fields.push_back(numbers("probability_best." + d.arms[a], std::move(p)));
    acc.fields.push_back(numbers("expected_nmb." + d.arms[a], std::move(nmb)));
  }
  h5::write_table(g, "acceptability", acc, h5::Compress::yes);

  if (!d.parameters_drawn) return;
  h5::Table ev;
  ev.fields.push_back(numbers("lambda", d.lambdas));
  for (size_t k = 0; k < d.parameters.size(); ++k)
    ev.fields.push_back(numbers(d.parameters[k], d.evppi[k]));
  h5::write_table(g, "evppi", ev, h5::Compress::yes);

  std::vector<std::string> arm, parameter;
  std::vector<double> r, low, high;
  for (size_t i = 0; i < d.prcc_arms.size(); ++i)
    for (size_t k = 0; k < d.parameters.size(); ++k) {
      arm.push_back(d.prcc_arms[i]);
      parameter.push_back(d.parameters[k]);
      r.push_back(d.prcc[i].r[k]);
      low.push_back(d.prcc[i].low[k]);
      high.push_back(d.prcc[i].high[k]);
    }
  h5::write_table(g, "prcc",
                  {{strings("arm", arm), strings("parameter", parameter), numbers("prcc", r),
                    numbers("low", low), numbers("high", high)}},
                  h5::Compress::no);
}

DecisionAnalysis read_decision(const h5::Handle& file) {
  DecisionAnalysis d;
  const auto exists = [&](const std::string& p) { return h5::checked_exists(file, p); };
  {
    h5::Handle g = h5::open_group(file, "/decision");
    for (const char* a : {"effect", "baseline", "parameters_drawn"})
      if (!h5::has_attr(g, a)) throw error(fmt::format("missing attribute '{}' of /decision", a));
    d.effect = h5::read_attr<std::string>(g, "effect");
    d.baseline = h5::read_attr<std::string>(g, "baseline");
    d.parameters_drawn = h5::read_attr<int64_t>(g, "parameters_drawn") != 0;
  }
  const std::string arms_path = "/decision/arms";
  if (!exists(arms_path)) throw error("missing dataset " + arms_path);
  const h5::Table arms = h5::read_table(file, arms_path);
  d.arms = need(arms, arms_path, "arm", false).strings;
  const auto& status = need(arms, arms_path, "status", false).strings;
  const auto& previous = need(arms, arms_path, "compared_with", false).strings;
  d.mean_cost = need(arms, arms_path, "mean_cost", true).numbers;
  d.mean_effect = need(arms, arms_path, "mean_effect", true).numbers;
  const auto& icer = need(arms, arms_path, "icer", true).numbers;
  d.probability_most_effective = need(arms, arms_path, "probability_most_effective", true).numbers;
  if (std::find(d.arms.begin(), d.arms.end(), d.baseline) == d.arms.end())
    throw error(fmt::format("/decision: baseline '{}' is not among its arms", d.baseline));
  for (size_t a = 0; a < d.arms.size(); ++a) {
    FrontierArm f;
    f.icer = icer[a];
    f.previous = a;
    if (status[a] == "dominated")
      f.status = FrontierArm::Status::dominated;
    else if (status[a] == "extendedly dominated")
      f.status = FrontierArm::Status::extendedly_dominated;
    else if (status[a] != "frontier")
      throw error(fmt::format("{}: unknown status '{}'", arms_path, status[a]));
    if (!previous[a].empty()) f.previous = arm_index(d, previous[a], arms_path);
    d.frontier.push_back(f);
  }

  const std::string acc_path = "/decision/acceptability";
  if (!exists(acc_path)) throw error("missing dataset " + acc_path);
  const h5::Table acc = h5::read_table(file, acc_path);
  d.lambdas = need(acc, acc_path, "lambda", true).numbers;
  const auto& evpi = need(acc, acc_path, "evpi", true).numbers;
  const auto& best = need(acc, acc_path, "best_expected", false).strings;
  std::vector<const std::vector<double>*> p, nmb;
  for (const std::string& arm : d.arms) {
    p.push_back(&need(acc, acc_path, "probability_best." + arm, true).numbers);
    nmb.push_back(&need(acc, acc_path, "expected_nmb." + arm, true).numbers);
  }
  for (size_t i = 0; i < d.lambdas.size(); ++i) {
    Acceptability x;
    x.lambda = d.lambdas[i];
    x.evpi = evpi[i];
    x.best_expected = arm_index(d, best[i], acc_path);
    for (size_t a = 0; a < d.arms.size(); ++a) {
      x.probability_best.push_back((*p[a])[i]);
      x.expected_nmb.push_back((*nmb[a])[i]);
    }
    d.acceptability.push_back(std::move(x));
  }
  if (!d.parameters_drawn) return d;

  const std::string ev_path = "/decision/evppi";
  if (!exists(ev_path)) throw error("missing dataset " + ev_path);
  const h5::Table ev = h5::read_table(file, ev_path);
  if (ev.rows() != d.lambdas.size())
    throw error(fmt::format("{} has {} rows for {} willingness-to-pay values", ev_path, ev.rows(),
                            d.lambdas.size()));
  for (const h5::Field& col : ev.fields) {
    if (col.name == "lambda") continue;
    if (col.type == h5::Type::string)
      throw error(fmt::format("field '{}' of {} is not numeric", col.name, ev_path));
    d.parameters.push_back(col.name);
    d.evppi.push_back(col.numbers);
  }
  const std::string prcc_path = "/decision/prcc";
  if (!exists(prcc_path)) throw error("missing dataset " + prcc_path);
  const h5::Table pr = h5::read_table(file, prcc_path);
  const auto& arm = need(pr, prcc_path, "arm", false).strings;
  const auto& parameter = need(pr, prcc_path, "parameter", false).strings;
  const auto& r = need(pr, prcc_path, "prcc", true).numbers;
  const auto& low = need(pr, prcc_path, "low", true).numbers;
  const auto& high = need(pr, prcc_path, "high", true).numbers;
  for (size_t i = 0; i < pr.rows(); ++i) {
    arm_index(d, arm[i], prcc_path);
    const auto k = std::find(d.parameters.begin(), d.parameters.end(), parameter[i]);
    if (k == d.parameters.end())
      throw error(fmt::format("{} names parameter '{}', which {} does not", prcc_path, parameter[i],
                              ev_path));
    if (d.prcc_arms.empty() || d.prcc_arms.back() != arm[i]) {
      d.prcc_arms.push_back(arm[i]);
      Prcc empty;
      const double nan = std::nan("");
      empty.r.assign(d.parameters.size(), nan);
      empty.low = empty.high = empty.r;
      d.prcc.push_back(std::move(empty));
    }
    const size_t j = static_cast<size_t>(k - d.parameters.begin());
    d.prcc.back().r[j] = r[i];
    d.prcc.back().low[j] = low[i];
    d.prcc.back().high[j] = high[i];
  }
  return d;
}

}  // namespace fourp
