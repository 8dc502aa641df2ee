#include "models/prevention/prevention_kind.h"

#include <cmath>

#include <fmt/format.h>

#include "models/prevention/declarations.h"
#include "models/prevention/parameters.h"
#include "models/prevention/prevention_model.h"
#include "sim/number_words.h"
#include "sim/scenario.h"

namespace fourp::models {

namespace {

using D = Distribution::Kind;

std::string per_step(const WordsContext& w) {
  return "a " + (w.step_unit.empty() ? std::string("step") : w.step_unit);
}

// Rule 3: "outsider-led campaign “media” from week 4 …, each person reached with probability …".
InterventionWords campaign_words(const InterventionSpec& iv, const WordsContext& w) {
  const ParamValues& p = iv.params;
  InterventionWords out;
  out.noun = "outsider-led campaign";
  out.details = fmt::format(
      ", each person reached with probability {} {}; message: blame {}, sensational {}, local "
      "relevance {}, practical guidance (efficacy) {} (each 0 to 1); cost {} {} plus {} per "
      "contact",
      plain_value(p.get("reach")), per_step(w), plain_value(p.get("message.blame")),
      plain_value(p.get("message.sensational")), plain_value(p.get("message.local_relevance")),
      plain_value(p.get("message.efficacy")), money(w.currency, p.get("cost.fixed_per_step")),
      per_step(w), money(w.currency, p.get("cost.per_contact")));
  if (const double c = p.get("cost.per_community_step"); c > 0)
    out.details += fmt::format(" and {} per community {}", money(w.currency, c), per_step(w));
  out.covered = p.schema().names();
  return out;
}

// Rule 4: power sharing, recruitment, dialogue and cost in words.
InterventionWords partnership_words(const InterventionSpec& iv, const WordsContext& w) {
  const ParamValues& p = iv.params;
  InterventionWords out;
  out.noun = "partnership programme";
  out.details = fmt::format(
      "; power sharing {} (0: consulted in name only, 1: community-led); up to {} new partners "
      "per community {}",
      plain_value(p.get("power_sharing")), plain_value(p.get("recruit_per_step")), per_step(w));
  const double max_o = p.get("recruit_max_otherness");
  if (max_o < 1)
    out.details += fmt::format(" (only people with otherness at most {})", plain_value(max_o));
  out.details += fmt::format(
      ", chosen with weights survivor {}, leader {}, survivor's family {}; each partner talks "
      "with {} neighbours {}; cost {} {} plus {} per partner {}",
      plain_value(p.get("weights.survivor")), plain_value(p.get("weights.leader")),
      plain_value(p.get("weights.family")), plain_value(p.get("dialogues")), per_step(w),
      money(w.currency, p.get("cost.fixed_per_step")), per_step(w),
      money(w.currency, p.get("cost.per_partner_step")), per_step(w));
  if (const double c = p.get("cost.per_community_step"); c > 0)
    out.details += fmt::format(" and {} per community {}", money(w.currency, c), per_step(w));
  out.covered = p.schema().names();
  return out;
}

OutputDeclarations outputs() {
  OutputDeclarations d;
  const std::string scale01 = " (0\u20131 scale)";
  // Series, in the order the simulation observes them (prevention_model.cpp, enum Metric).
  d.series = {
      {"awareness", "Awareness", "mean awareness" + scale01, Scale::number, false, true, true},
      {"otherness", "Otherness", "mean otherness" + scale01, Scale::number, false, true, true},
      {"trust", "Trust in outsiders", "mean trust" + scale01, Scale::number, false, true, true},
      {"efficacy", "Efficacy", "mean efficacy" + scale01, Scale::number, false, true, true},
      {"engaged", "Engaged share", "engaged (% of people present)", Scale::share, false, true,
       true},
      {"partners", "Partners", "partners of a programme (people)", Scale::count},
      {"exposures", "Campaign exposures", "exposures this step", Scale::count, true},
      {"approaches", "Approaches by recruiters", "approaches this step", Scale::count, true},
      {"prevented", "Approaches prevented, cumulative", "approaches prevented since the start",
       Scale::count, true, true},
      {"exploited", "Cases of exploitation, cumulative", "cases since the start (people)",
       Scale::count, true, true},
      {"away", "Away", "people away, being exploited", Scale::count},
      {"lost", "Lost", "people who never returned (cumulative)", Scale::count},
      {"reports", "Reports", "reports to the authorities this step", Scale::count, true},
      {"approach_rate", "Approach rate", "mean approach rate over communities", Scale::number},
      {"cost", "Cost", "cumulative cost", Scale::money},
  };
  d.outcomes = {
      {"exploited", "cases of exploitation", Scale::count, Better::fewer, true},
      {"prevented", "approaches prevented", Scale::count, Better::more, true},
      {"approaches", "approaches by recruiters", Scale::count, Better::neither},
      {"protection_rate", "share of approaches prevented", Scale::share, Better::more},
      {"engaged_final", "engaged share at the end", Scale::share, Better::more, true,
       "engaged (final)"},
      {"engaged_peak", "peak engaged share", Scale::share, Better::more},
      {"cost_total", "cost", Scale::money, Better::fewer, true, "cost"},
  };
  d.headline = "exploited";
  d.improvement = {"cases_averted", "cases averted", "cost_per_case_averted",
                   "cost per case averted"};
  d.cost_outcome = "cost_total";
  d.subgroup = "at_risk";
  return d;
}

}  // namespace

ModelKind prevention_kind() {
  ModelKind k;
  k.name = "prevention";
  k.about = "community prevention of human trafficking (MODEL.md)";
  k.sections = {{"model", prevention_model_schema()}, {"trafficking", trafficking_schema()}};
  k.interventions = {
      {"outsider_campaign", "awareness campaign run by outside organisations (rule 3)",
       outsider_campaign_schema(), true, campaign_words},
      {"partnership", "programme co-led with survivors, families and community (rule 4)",
       partnership_schema(), true, partnership_words},
  };
  // In the order of declarations.h (role::…, trait::…): the world draws them in this order.
  k.roles = {
      {"at_risk", 0.12, "at-risk people",
       "can be approached by recruiters (for example young people seeking work away)"},
      {"leader", 0.02, "community leaders", "elder, teacher, faith leader or health worker"},
      {"survivor", 0.005, "survivors", "has lived experience of trafficking"},
  };
  k.traits = {
      {"awareness", {D::beta, 2, 8, {}}, "awareness"},
      {"otherness",
       {D::beta, 6, 2, {}},
       "otherness (\u201cit is other communities\u2019 problem\u201d)"},
      {"trust", {D::beta, 3, 3, {}}, "trust in outsiders"},
      {"efficacy", {D::beta, 3, 3, {}}, "efficacy"},
      {"threshold", {D::normal, 0.35, 0.1, {}}, "the threshold for acting"},
  };
  k.outputs = outputs();
  k.purposes = {kFirstPurpose, kLastPurpose};
  k.make = make_prevention_model;
  return k;
}

}  // namespace fourp::models
