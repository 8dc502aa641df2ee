// The community prevention model's parameters (MODEL.md "Defaults"): the schemas the scenario
// parser validates `model:`, `trafficking:` and the interventions against, and the typed
// struct the rules read. Names are the YAML names.
#pragma once

#include "sim/catalog.h"
#include "sim/params.h"

namespace fourp::models {

// Behaviour (`model:`) — rules 1–5 and the message/programme response coefficients.
const ParamSchema& prevention_model_schema();
// Trafficking risk (`trafficking:`) — rule 6.
const ParamSchema& trafficking_schema();
// Interventions' own keys.
const ParamSchema& outsider_campaign_schema();
const ParamSchema& partnership_schema();

// Every model and trafficking parameter, read once when a run starts. An intervention's copy
// has its own overrides applied (MODEL.md: "any campaign or programme may override a model
// parameter as a key of its own").
struct PreventionParams {
  // 1. Social learning
  double kappa_a, kappa_f, forget, kappa_o, kappa_t, trust_relax, efficacy_relax;
  // 2. Proximity
  int proximity_window;
  double eta_o, eta_a, denial;
  // 3. Outsider-led campaign response
  double gain_a, gain_f, backlash_blame, backlash_sensational, relevance_o, distrust_blame,
      trust_relevance;
  // 4. Partnership response
  double own_o, own_a, own_f, own_t, peer_credibility, dialogue_a, dialogue_f, dialogue_o,
      dialogue_t, attrition;
  // 5. Action decision
  double social_weight, hysteresis;
  // 6. Trafficking risk
  double approach_rate, self_protection, guardian_protection, report_probability, deterrence,
      deterrence_recovery;
  int exploitation_steps;
  double return_probability, survivor_awareness, survivor_otherness;
};

// `model` and `trafficking` sections of an arm; with `overrides` (on ModelKind::all_params)
// applied where set.
PreventionParams read_prevention_params(const ParamValues& model, const ParamValues& trafficking,
                                        const ParamValues* overrides = nullptr);

}  // namespace fourp::models
