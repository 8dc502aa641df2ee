#include "output/report_scenario.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "output/report_numbers.h"
#include "output/thousands.h"

namespace fourp::report {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double number(const YAML::Node& n, double fallback = kNaN) {
  if (!n || !n.IsScalar()) return fallback;
  try {
    return n.as<double>();
  } catch (const YAML::Exception&) {
    return fallback;
  }
}

std::string scalar(const YAML::Node& n) {
  if (!n || !n.IsScalar()) return "";
  return n.Scalar();
}

// Scenario values as their author wrote them: whole numbers with separators, others shortest.
std::string value(double x) {
  if (std::isnan(x)) return "?";
  if (std::fabs(x) < 1e15 && x == std::round(x)) return whole_with_thousands(x);
  return fmt::format("{}", x);
}

std::string money(const std::string& currency, double x) {
  std::string v;
  if (x == std::round(x) && std::fabs(x) < 1e15)
    v = whole_with_thousands(x);
  else if (std::fabs(x) >= 1)
    v = whole_with_thousands(std::trunc(x)) +
        fmt::format("{:.2f}", std::fabs(x - std::trunc(x))).substr(1);
  else
    v = fmt::format("{}", x);
  return currency.empty() ? v : currency + " " + v;
}

std::string share(double p) {
  return std::isnan(p) ? "?" : fmt::format("{}%", value(std::round(p * 1e4) / 100));
}

// "0–5", "0, 2, 4–6": runs of consecutive ids as ranges.
std::string id_list(std::vector<uint32_t> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<std::string> parts;
  for (size_t i = 0; i < ids.size();) {
    size_t j = i;
    while (j + 1 < ids.size() && ids[j + 1] == ids[j] + 1) ++j;
    if (j == i)
      parts.push_back(fmt::format("{}", ids[i]));
    else
      parts.push_back(fmt::format("{}{}{}", ids[i], j == i + 1 ? ", " : "\u2013", ids[j]));
    i = j + 1;
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

std::string join_and(const std::vector<std::string>& items) {
  if (items.empty()) return "";
  if (items.size() == 1) return items[0];
  std::string out;
  for (size_t i = 0; i + 1 < items.size(); ++i) out += (i ? ", " : "") + items[i];
  return out + " and " + items.back();
}

std::vector<uint32_t> ids(const YAML::Node& n) {
  std::vector<uint32_t> out;
  if (!n || !n.IsSequence()) return out;
  for (const auto& x : n) {
    const double v = number(x);
    if (v >= 0 && v == std::round(v)) out.push_back(static_cast<uint32_t>(v));
  }
  return out;
}

// What the report needs to know about the scenario's world.
struct World {
  std::string unit;  // step unit
  std::string currency;
  int64_t steps = 0;
  uint32_t communities = 0;
};

// Communities a `target` reaches, as flags; `all` (or no list) reaches every one.
std::vector<bool> targeted(const YAML::Node& target, uint32_t communities) {
  const YAML::Node list = target ? target["communities"] : YAML::Node();
  if (!list || !list.IsSequence()) return std::vector<bool>(communities, true);
  std::vector<bool> out(communities, false);
  for (uint32_t c : ids(list))
    if (c < communities) out[c] = true;
  return out;
}

std::string where(const YAML::Node& target, const World& w) {
  const YAML::Node list = target ? target["communities"] : YAML::Node();
  std::string out;
  if (!list || !list.IsSequence()) {
    out = w.communities > 0 ? fmt::format("in all {} communities", w.communities)
                            : "in all communities";
  } else {
    const std::vector<uint32_t> c = ids(list);
    out = w.communities > 0
              ? fmt::format("in {} of {} communities ({})", c.size(), w.communities, id_list(c))
              : fmt::format("in communities {}", id_list(c));
  }
  std::vector<std::string> roles;
  if (target && target["roles"] && target["roles"].IsSequence())
    for (const auto& role : target["roles"]) {
      const std::string r = scalar(role);
      roles.push_back(r == "at_risk"    ? "at-risk people"
                      : r == "leader"   ? "leaders"
                      : r == "survivor" ? "survivors"
                                        : r);
    }
  if (!roles.empty()) out += ", among " + join_and(roles) + " only";
  return out;
}

std::string schedule(const YAML::Node& iv, const World& w) {
  const double start = number(iv["start"], 0);
  const double duration = number(iv["duration"]);
  const std::string from =
      fmt::format("from {} {}", w.unit.empty() ? "step" : w.unit, value(start));
  if (std::isnan(duration)) return from + " to the end";
  std::string out =
      fmt::format("{} for {} {}", from, value(duration), unit_words(duration, w.unit));
  if (w.steps > 0 && start + duration >= static_cast<double>(w.steps)) out += " (to the end)";
  return out;
}

// Scalar parameters of a map as "key value" (nested maps with dotted keys), leaving out `skip`.
void flatten(const YAML::Node& n, const std::string& prefix, const std::vector<std::string>& skip,
             std::vector<std::string>& out) {
  if (!n || !n.IsMap()) return;
  for (const auto& kv : n) {
    const std::string key = prefix + scalar(kv.first);
    if (std::find(skip.begin(), skip.end(), key) != skip.end()) continue;
    if (kv.second.IsMap())
      flatten(kv.second, key + ".", skip, out);
    else if (kv.second.IsScalar())
      out.push_back(fmt::format("{} {}", key, kv.second.Scalar()));
  }
}

// Keys the plain-words descriptions below cover; any other key of the intervention (a model
// parameter set on it, such as gain_a) is listed after them.
const std::vector<std::string> kScheduleKeys = {"kind", "start", "duration", "target"};

std::string others(const YAML::Node& iv, std::vector<std::string> covered) {
  covered.insert(covered.end(), kScheduleKeys.begin(), kScheduleKeys.end());
  std::vector<std::string> rest;
  flatten(iv, "", covered, rest);
  return rest.empty() ? "" : fmt::format("; also {}", fmt::format("{}", fmt::join(rest, ", ")));
}

std::string per_unit(const World& w) {
  return "a " + (w.unit.empty() ? std::string("step") : w.unit);
}

std::string campaign_words(const std::string& name, const YAML::Node& iv, const World& w) {
  const YAML::Node m = iv["message"], c = iv["cost"];
  std::string out = fmt::format(
      "outsider-led campaign \u201c{}\u201d {}, {}, each person reached with probability {} {}",
      name, schedule(iv, w), where(iv["target"], w), value(number(iv["reach"])), per_unit(w));
  if (m && m.IsMap())
    out += fmt::format(
        "; message: blame {}, sensational {}, local relevance {}, practical "
        "guidance (efficacy) {} (each 0 to 1)",
        value(number(m["blame"])), value(number(m["sensational"])),
        value(number(m["local_relevance"])), value(number(m["efficacy"])));
  if (c && c.IsMap())
    out += fmt::format("; cost {} {} plus {} per contact",
                       money(w.currency, number(c["fixed_per_step"], 0)), per_unit(w),
                       money(w.currency, number(c["per_contact"], 0)));
  return out +
         others(iv, {"reach", "message.blame", "message.sensational", "message.local_relevance",
                     "message.efficacy", "cost.fixed_per_step", "cost.per_contact"});
}

std::string partnership_words(const std::string& name, const YAML::Node& iv, const World& w) {
  const YAML::Node wt = iv["weights"], c = iv["cost"];
  std::string out = fmt::format(
      "partnership programme \u201c{}\u201d {}, {}; power sharing {} (0: consulted in name only, "
      "1: community-led); up to {} new partners per community {}",
      name, schedule(iv, w), where(iv["target"], w), value(number(iv["power_sharing"])),
      value(number(iv["recruit_per_step"])), per_unit(w));
  const double max_o = number(iv["recruit_max_otherness"]);
  if (!std::isnan(max_o) && max_o < 1)
    out += fmt::format(" (only people with otherness at most {})", value(max_o));
  if (wt && wt.IsMap())
    out += fmt::format(", chosen with weights survivor {}, leader {}, survivor's family {}",
                       value(number(wt["survivor"])), value(number(wt["leader"])),
                       value(number(wt["family"])));
  out += fmt::format("; each partner talks with {} neighbours {}", value(number(iv["dialogues"])),
                     per_unit(w));
  if (c && c.IsMap())
    out += fmt::format("; cost {} {} plus {} per partner {}",
                       money(w.currency, number(c["fixed_per_step"], 0)), per_unit(w),
                       money(w.currency, number(c["per_partner_step"], 0)), per_unit(w));
  return out + others(iv, {"power_sharing", "recruit_per_step", "recruit_max_otherness",
                           "weights.survivor", "weights.leader", "weights.family", "dialogues",
                           "cost.fixed_per_step", "cost.per_partner_step"});
}

std::string intervention_words(const std::string& name, const YAML::Node& iv, const World& w) {
  const std::string kind = scalar(iv["kind"]);
  if (kind == "outsider_campaign") return campaign_words(name, iv, w);
  if (kind == "partnership") return partnership_words(name, iv, w);
  return fmt::format("{} \u201c{}\u201d {}, {}", kind.empty() ? "intervention" : kind, name,
                     schedule(iv, w), where(iv["target"], w)) +
         others(iv, {});
}

// Sets `value` at a dotted path inside `node` (creating maps on the way).
void set_path(YAML::Node node, const std::string& path, const YAML::Node& v) {
  const size_t dot = path.find('.');
  if (dot == std::string::npos) {
    node[path] = v;
    return;
  }
  set_path(node[path.substr(0, dot)], path.substr(dot + 1), v);
}

// The value at a dotted path, or an undefined node. Recursion on const nodes: assigning one
// yaml-cpp Node to another would rewrite the tree it points into.
YAML::Node get_path(const YAML::Node& node, const std::string& path) {
  if (!node || !node.IsMap()) return YAML::Node();
  const size_t dot = path.find('.');
  const YAML::Node child = node[path.substr(0, dot)];
  if (dot == std::string::npos) return child;
  return get_path(child, path.substr(dot + 1));
}

ArmPlan arm_plan(const ArmResult& arm, const YAML::Node& doc, const World& w) {
  ArmPlan plan;
  plan.name = arm.name;
  plan.targeted.assign(w.communities, false);
  const YAML::Node spec = doc["arms"] ? doc["arms"][arm.name] : YAML::Node();
  const YAML::Node set = spec && spec.IsMap() ? spec["set"] : YAML::Node();
  for (const std::string& name : arm.interventions) {
    YAML::Node iv = doc["interventions"] && doc["interventions"][name]
                        ? YAML::Clone(doc["interventions"][name])
                        : YAML::Node(YAML::NodeType::Map);
    // The arm's own settings for this intervention (e.g. the tokenistic arm's power sharing).
    const std::string prefix = "interventions." + name + ".";
    if (set && set.IsMap())
      for (const auto& kv : set) {
        const std::string path = scalar(kv.first);
        if (path.rfind(prefix, 0) == 0) set_path(iv, path.substr(prefix.size()), kv.second);
      }
    plan.interventions.push_back(intervention_words(name, iv, w));
    const std::vector<bool> t = targeted(iv["target"], w.communities);
    for (size_t c = 0; c < t.size(); ++c) plan.targeted[c] = plan.targeted[c] || t[c];
  }
  if (set && set.IsMap())
    for (const auto& kv : set) {
      const std::string path = scalar(kv.first);
      const YAML::Node before = get_path(doc, path);
      plan.settings.push_back(
          before && before.IsScalar()
              ? fmt::format("{} = {} (instead of {})", path, scalar(kv.second), before.Scalar())
              : fmt::format("{} = {}", path, scalar(kv.second)));
    }
  return plan;
}

// "mean 0.2 (beta 2, 8)" and the like.
std::string distribution_words(const YAML::Node& d) {
  if (!d || !d.IsMap()) return "";
  const auto p = [&](const char* k, size_t i) { return number(d[k][i]); };
  if (d["beta"]) {
    const double a = p("beta", 0), b = p("beta", 1);
    return fmt::format("{:.3g} (beta {}, {})", a / (a + b), value(a), value(b));
  }
  if (d["uniform"]) {
    const double lo = p("uniform", 0), hi = p("uniform", 1);
    return fmt::format("{:.3g} (uniform {}\u2013{})", (lo + hi) / 2, value(lo), value(hi));
  }
  if (d["normal"])
    return fmt::format("{} (normal, sd {})", value(p("normal", 0)), value(p("normal", 1)));
  if (d["constant"]) return fmt::format("{} for everyone", value(number(d["constant"])));
  return "";
}

// ", but 20% in communities 0–2" for every group overriding one role or initial value.
std::string group_words(const YAML::Node& groups, const char* section, const char* key,
                        bool as_share) {
  std::string out;
  if (!groups || !groups.IsSequence()) return out;
  for (const auto& g : groups) {
    const YAML::Node v = g[section] ? g[section][key] : YAML::Node();
    if (!v) continue;
    const std::string text = as_share ? share(number(v)) : distribution_words(v);
    out += fmt::format("{} {} in communities {}", out.empty() ? ", but" : " and", text,
                       id_list(ids(g["communities"])));
  }
  return out;
}

std::string population_words(const Results& r, const YAML::Node& doc) {
  const YAML::Node pop = doc["population"], net = doc["network"];
  std::vector<std::string> parts;
  if (pop && pop.IsMap()) {
    std::string sizes;
    if (!r.community_sizes.empty()) {
      const auto [lo, hi] = std::minmax_element(r.community_sizes.begin(), r.community_sizes.end());
      sizes = *lo == *hi ? fmt::format(" of {} people each", value(*lo))
                         : fmt::format(" of {} to {} people", value(*lo), value(*hi));
    }
    parts.push_back(fmt::format("{} people in {} communities{}, in households of about {} people.",
                                value(number(pop["size"])), value(number(pop["communities"])),
                                sizes, value(number(pop["household_size"]))));
    const YAML::Node roles = pop["roles"], groups = pop["groups"];
    if (roles && roles.IsMap())
      parts.push_back(fmt::format(
          "At risk of trafficking: {} of people{}; community leaders {}{}; survivors {}{}.",
          share(number(roles["at_risk"])), group_words(groups, "roles", "at_risk", true),
          share(number(roles["leader"])), group_words(groups, "roles", "leader", true),
          share(number(roles["survivor"])), group_words(groups, "roles", "survivor", true)));
    const YAML::Node init = pop["initial"];
    if (init && init.IsMap()) {
      std::vector<std::string> items;
      const std::vector<std::pair<const char*, const char*>> names = {
          {"awareness", "awareness"},
          {"otherness", "otherness (\u201cit is other communities\u2019 problem\u201d)"},
          {"trust", "trust in outsiders"},
          {"efficacy", "efficacy"},
          {"threshold", "the threshold for acting"}};
      for (const auto& [key, words] : names)
        if (init[key])
          items.push_back(fmt::format("{} {}{}", words, distribution_words(init[key]),
                                      group_words(groups, "initial", key, false)));
      if (!items.empty())
        parts.push_back(fmt::format("At the start, means on 0-to-1 scales are: {}.",
                                    fmt::format("{}", fmt::join(items, "; "))));
    }
  }
  if (net && net.IsMap()) {
    const std::string kind = scalar(net["kind"]);
    std::string how;
    if (kind == "villages")
      how = fmt::format(
          "each household fully connected; inside each community a small world with {} ties per "
          "person, {} of them rewired; and on average {} ties per person to other communities",
          value(number(net["within_degree"])), share(number(net["rewire"])),
          value(number(net["between_degree"])));
    else if (kind == "erdos_renyi")
      how = fmt::format("random ties (Erd\u0151s\u2013R\u00e9nyi), {} per person on average",
                        value(number(net["mean_degree"])));
    else if (kind == "watts_strogatz")
      how = fmt::format("a small world (Watts\u2013Strogatz) with {} ties per person, {} rewired",
                        value(number(net["degree"])), share(number(net["rewire"])));
    else if (kind == "barabasi_albert")
      how = fmt::format(
          "a scale-free network (Barab\u00e1si\u2013Albert), each newcomer tied to {} "
          "others",
          value(number(net["edges_per_node"])));
    else if (kind == "complete")
      how = "everyone tied to everyone";
    else if (kind == "tree")
      how = fmt::format("a tree with branching {} and depth {}", value(number(net["branching"])),
                        value(number(net["depth"])));
    else if (kind == "file")
      how = fmt::format("read from the file {}", scalar(net["path"]));
    else {
      std::vector<std::string> rest;
      flatten(net, "", {"kind"}, rest);
      how = fmt::format("{}", fmt::join(rest, ", "));
    }
    std::string stats;
    if (r.network.nodes > 0)
      stats = fmt::format("; {} ties in all, {:.1f} per person on average (section 6)",
                          value(static_cast<double>(r.network.edges)), r.network.mean_degree);
    parts.push_back(fmt::format("The network ({}): {}{}.", kind, how, stats));
  }
  return fmt::format("{}", fmt::join(parts, " "));
}

std::optional<double> expected_at_risk(const Results& r, const YAML::Node& doc) {
  const YAML::Node pop = doc["population"];
  if (!pop || !pop["roles"] || !pop["roles"]["at_risk"]) return std::nullopt;
  const double base = number(pop["roles"]["at_risk"]);
  const double size = number(pop["size"]);
  const uint32_t c =
      r.communities > 0 ? r.communities : static_cast<uint32_t>(number(pop["communities"], 1));
  if (std::isnan(base) || c == 0) return std::nullopt;
  std::vector<double> p(c, base);
  if (pop["groups"] && pop["groups"].IsSequence())
    for (const auto& g : pop["groups"]) {
      const double v = g["roles"] ? number(g["roles"]["at_risk"]) : kNaN;
      if (std::isnan(v)) continue;
      for (uint32_t k : ids(g["communities"]))
        if (k < c) p[k] = v;  // later groups override earlier ones, as in the scenario
    }
  double sum = 0;
  for (uint32_t k = 0; k < c; ++k) {
    // Equal sizes unless the results list them (the first N mod C get one more).
    double n = 0;
    if (r.community_sizes.size() == c)
      n = r.community_sizes[k];
    else if (!std::isnan(size))
      n = std::floor(size / c) + (k < static_cast<uint32_t>(std::fmod(size, c)) ? 1 : 0);
    sum += n * p[k];
  }
  return sum > 0 ? std::optional<double>(sum) : std::nullopt;
}

}  // namespace

ScenarioSummary summarise_scenario(const Results& r) {
  ScenarioSummary s;
  YAML::Node doc;
  try {
    doc = YAML::Load(r.scenario_yaml);
  } catch (const YAML::Exception&) {
    doc = YAML::Node();
  }
  if (!doc.IsMap()) doc = YAML::Node(YAML::NodeType::Map);
  World w{r.step_unit, r.currency, r.steps, r.communities};
  s.description = scalar(doc["description"]);
  for (const ArmResult& arm : r.arms) {
    try {
      s.arms.push_back(arm_plan(arm, doc, w));
    } catch (const YAML::Exception&) {  // a malformed entry: name the interventions only
      ArmPlan plan;
      plan.name = arm.name;
      plan.interventions = arm.interventions;
      plan.targeted.assign(w.communities, false);
      s.arms.push_back(std::move(plan));
    }
  }
  try {
    s.population = population_words(r, doc);
    s.expected_at_risk = expected_at_risk(r, doc);
  } catch (const YAML::Exception&) {
  }
  return s;
}

}  // namespace fourp::report
