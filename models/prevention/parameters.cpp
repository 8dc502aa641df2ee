#include "models/prevention/parameters.h"

namespace fourp::models {

namespace {
constexpr double inf = std::numeric_limits<double>::infinity();
const char* kRate = "1/step";
const char* kProb = "probability";
}  // namespace

const ParamSchema& prevention_model_schema() {
  static const ParamSchema schema{
      // 1. Social learning
      {"kappa_a", 0.05, 0, 1, kRate, "awareness learnt from better-informed neighbours", false,
       "Assumed; knowledge diffuses slowly through talk"},
      {"kappa_f", 0.03, 0, 1, kRate, "efficacy (know-how) learnt from neighbours", false,
       "Assumed"},
      {"forget", 0.01, 0, 1, kRate, "share of awareness forgotten each step", false,
       "Assumed; campaign effects fade (Snyder et al. 2004)"},
      {"kappa_o", 0.05, 0, 1, kRate, "conformity of otherness to neighbours (DeGroot)", false,
       "Assumed"},
      {"kappa_t", 0.03, 0, 1, kRate, "conformity of trust in outsiders to neighbours", false,
       "Assumed"},
      {"trust_relax", 0.02, 0, 1, kRate, "drift of trust back to its baseline trust0", false,
       "Assumed"},
      {"efficacy_relax", 0.01, 0, 1, kRate, "drift of efficacy back to its baseline f0", false,
       "Assumed"},
      // 2. Proximity
      {"proximity_window", 12, 0, 100000, "steps",
       "how long a case among one's ties keeps trafficking 'close to home'", true, "Assumed"},
      {"eta_o", 0.10, 0, 1, "", "drop in otherness when a case is close to home", false,
       "Assumed; the seed article: proximity breaks otherness"},
      {"eta_a", 0.20, 0, 1, "", "gain in awareness when a case is close to home", false, "Assumed"},
      {"denial", 0.7, 0, 1, "",
       "how much high otherness makes a nearby case read as one person's misfortune", false,
       "Assumed"},
      // 3. Outsider-led campaign exposure
      {"gain_a", 0.15, 0, 1, "", "awareness gained per exposure, times trust in the source", false,
       "Snyder et al. 2004: campaigns raise knowledge"},
      {"gain_f", 0.10, 0, 1, "", "efficacy gained per exposure, times message efficacy and trust",
       false, "Witte & Allen 2000: efficacy messages enable action"},
      {"backlash_blame", 0.10, 0, 1, "", "otherness raised per exposure to a blaming message",
       false, "Seed article: blame deepens otherness"},
      {"backlash_sensational", 0.05, 0, 1, "",
       "otherness raised per exposure to sensational content without guidance", false,
       "Witte & Allen 2000; Tannenbaum et al. 2015"},
      {"relevance_o", 0.05, 0, 1, "",
       "otherness lowered per exposure to a locally relevant message", false, "Assumed"},
      {"distrust_blame", 0.08, 0, 1, "", "trust in outsiders lost per exposure to blame", false,
       "Seed article"},
      {"trust_relevance", 0.02, 0, 1, "", "trust gained per exposure to a relevant message", false,
       "Hovland & Weiss 1951: credibility"},
      // 4. Partnership
      {"own_o", 0.7, 0, 1, "", "otherness removed on joining, times power sharing", false,
       "Seed article: co-definition of the problem"},
      {"own_a", 0.6, 0, 1, "", "awareness gained on joining", false, "Assumed"},
      {"own_f", 0.6, 0, 1, "", "efficacy gained on joining", false, "Assumed"},
      {"own_t", 0.5, 0, 1, "", "trust gained on joining, times power sharing", false, "Assumed"},
      {"peer_credibility", 0.8, 0, 1, "", "credibility of a partner neighbour (in-group source)",
       false, "Hovland & Weiss 1951"},
      {"dialogue_a", 0.05, 0, 1, "", "awareness gained per conversation with a partner", false,
       "Assumed"},
      {"dialogue_f", 0.05, 0, 1, "", "efficacy gained per conversation with a partner", false,
       "Assumed"},
      {"dialogue_o", 0.04, 0, 1, "", "otherness lowered per conversation, times power sharing",
       false, "Abramsky et al. 2014 (SASA!): community mobilisation shifts norms"},
      {"dialogue_t", 0.03, 0, 1, "", "trust gained per conversation, times power sharing", false,
       "Assumed"},
      {"attrition", 0.01, 0, 1, kProb, "probability a partner leaves the programme each step",
       false, "Assumed: about 2 years mean tenure at weekly steps"},
      // 5. Action decision
      {"social_weight", 0.2, 0, inf, "",
       "weight of the engaged share of neighbours in the decision", false,
       "Granovetter 1978; Sampson et al. 1997"},
      {"hysteresis", 0.05, 0, 1, "", "margin below the threshold before an engaged agent stops",
       false, "Assumed: habits persist"},
  };
  return schema;
}

const ParamSchema& trafficking_schema() {
  static const ParamSchema schema{
      {"approach_rate", 0.002, 0, 1, kProb,
       "probability a present at-risk agent is approached by a recruiter each step (no deterrence)",
       false, "Assumed; scenario-specific"},
      {"self_protection", 0.5, 0, 1, kProb,
       "protection of a fully aware agent with no otherness who is approached", false, "Assumed"},
      {"guardian_protection", 0.25, 0, 1, kProb, "protection given by each engaged neighbour",
       false, "Latané & Darley 1970: bystanders act when they notice and know what to do"},
      {"report_probability", 0.2, 0, 1, kProb, "probability a guardian reports a prevented case",
       false, "Assumed"},
      {"deterrence", 0.05, 0, 1, "", "relative drop of a community's approach rate per report",
       false, "Assumed"},
      {"deterrence_recovery", 0.05, 0, 1, kRate,
       "rate at which the approach rate returns to approach_rate", false, "Assumed"},
      {"exploitation_steps", 26, 1, 100000, "steps", "time an exploited agent is away", true,
       "Assumed: half a year"},
      {"return_probability", 0.6, 0, 1, kProb, "probability an exploited agent returns", false,
       "Assumed"},
      {"survivor_awareness", 0.9, 0, 1, "", "awareness floor of a survivor", false,
       "Seed article: lived experience"},
      {"survivor_otherness", 0.1, 0, 1, "", "otherness ceiling of a survivor", false,
       "Seed article"},
  };
  return schema;
}

const ParamSchema& outsider_campaign_schema() {
  static const ParamSchema schema{
      {"reach", 0.3, 0, 1, kProb, "probability a targeted present agent is exposed each step",
       false, "Assumed"},
      {"message.blame", 0, 0, 1, "", "how much the message blames the community", false, ""},
      {"message.sensational", 0, 0, 1, "", "how sensational (fear, spectacle) the message is",
       false, ""},
      {"message.local_relevance", 0.5, 0, 1, "", "how much it speaks to this community's life",
       false, ""},
      {"message.efficacy", 0.5, 0, 1, "", "concrete guidance: what to look for, whom to call",
       false, ""},
      {"cost.fixed_per_step", 0, 0, inf, "currency/step", "fixed cost per active step", false, ""},
      {"cost.per_contact", 0, 0, inf, "currency", "cost per exposure", false, ""},
      {"cost.per_community_step", 0, 0, inf, "currency/community/step",
       "cost per target community per active step (a local office or coordinator)", false, ""},
  };
  return schema;
}

const ParamSchema& partnership_schema() {
  static const ParamSchema schema{
      {"power_sharing", 0.5, 0, 1, "",
       "0: consulted in name only; 1: community-led (scales ownership and legitimacy)", false,
       "Seed article: real power sharing"},
      {"recruit_per_step", 2, 0, 1e9, "agents/step",
       "new partners per target community per step, at most", true, "Assumed"},
      {"recruit_max_otherness", 1.0, 0, 1, "", "only agents with otherness at most this join",
       false, "Assumed"},
      {"weights.survivor", 5, 0, inf, "", "recruitment weight of a survivor", false,
       "Seed article: survivors define the problem"},
      {"weights.leader", 3, 0, inf, "", "recruitment weight of a community leader", false, ""},
      {"weights.family", 2, 0, inf, "", "recruitment weight of a survivor's household member",
       false, ""},
      {"dialogues", 2, 0, inf, "conversations/step", "neighbours each partner talks with per step",
       false, "Assumed"},
      {"cost.fixed_per_step", 0, 0, inf, "currency/step", "fixed cost per active step", false, ""},
      {"cost.per_partner_step", 0, 0, inf, "currency/partner/step",
       "cost per partner per active step", false, ""},
      {"cost.per_community_step", 0, 0, inf, "currency/community/step",
       "cost per target community per active step (a local office or coordinator)", false, ""},
  };
  return schema;
}

PreventionParams read_prevention_params(const ParamValues& model, const ParamValues& trafficking,
                                        const ParamValues* overrides) {
  auto get = [&](const ParamValues& section, const char* name) {
    if (overrides) {
      auto i = overrides->schema().find(name);
      if (i && overrides->is_set(*i)) return (*overrides)[*i];
    }
    return section.get(name);
  };
  auto m = [&](const char* n) { return get(model, n); };
  auto tr = [&](const char* n) { return get(trafficking, n); };
  PreventionParams p;
  p.kappa_a = m("kappa_a");
  p.kappa_f = m("kappa_f");
  p.forget = m("forget");
  p.kappa_o = m("kappa_o");
  p.kappa_t = m("kappa_t");
  p.trust_relax = m("trust_relax");
  p.efficacy_relax = m("efficacy_relax");
  p.proximity_window = static_cast<int>(m("proximity_window"));
  p.eta_o = m("eta_o");
  p.eta_a = m("eta_a");
  p.denial = m("denial");
  p.gain_a = m("gain_a");
  p.gain_f = m("gain_f");
  p.backlash_blame = m("backlash_blame");
  p.backlash_sensational = m("backlash_sensational");
  p.relevance_o = m("relevance_o");
  p.distrust_blame = m("distrust_blame");
  p.trust_relevance = m("trust_relevance");
  p.own_o = m("own_o");
  p.own_a = m("own_a");
  p.own_f = m("own_f");
  p.own_t = m("own_t");
  p.peer_credibility = m("peer_credibility");
  p.dialogue_a = m("dialogue_a");
  p.dialogue_f = m("dialogue_f");
  p.dialogue_o = m("dialogue_o");
  p.dialogue_t = m("dialogue_t");
  p.attrition = m("attrition");
  p.social_weight = m("social_weight");
  p.hysteresis = m("hysteresis");
  p.approach_rate = tr("approach_rate");
  p.self_protection = tr("self_protection");
  p.guardian_protection = tr("guardian_protection");
  p.report_probability = tr("report_probability");
  p.deterrence = tr("deterrence");
  p.deterrence_recovery = tr("deterrence_recovery");
  p.exploitation_steps = static_cast<int>(tr("exploitation_steps"));
  p.return_probability = tr("return_probability");
  p.survivor_awareness = tr("survivor_awareness");
  p.survivor_otherness = tr("survivor_otherness");
  return p;
}

}  // namespace fourp::models
