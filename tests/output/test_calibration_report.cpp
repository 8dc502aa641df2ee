// The calibration report (output/calibration_report.h) on results made by hand: what the data
// narrowed or left alone in words, and the pairs of parameters the posterior correlates.
#include <catch2/catch.hpp>

#include <cmath>

#include "output/calibration_report.h"

using namespace fourp;

namespace {

// Generation 0 spread over [0, 1] for each of three parameters; the posterior: a narrow a, b
// = 1.2 − a exactly (correlation −1), c still spread with no relation to a (correlation ≈ 0).
CalibrationResults made_by_hand() {
  CalibrationResults r;
  r.arm = "baseline";
  r.particles = 100;
  r.parameters = {"model.a", "model.b", "model.c"};
  r.priors = {"uniform(min 0, max 1)", "uniform(min 0, max 1)", "uniform(min 0, max 1)"};
  SmcGeneration prior, post;
  prior.dimension = post.dimension = 3;
  post.generation = 1;
  post.temperature = 1;
  for (int i = 0; i < 100; ++i) {
    const double u = (i + 0.5) / 100;
    prior.theta.insert(prior.theta.end(), {u, 1 - u, std::fmod(u * 7, 1.0)});
    const double a = 0.5 + 0.1 * u;
    post.theta.insert(post.theta.end(), {a, 1.2 - a, i % 2 ? 0.1 + 0.8 * u : 0.9 - 0.8 * u});
    prior.log_weight.push_back(-std::log(100.0));
    post.log_weight.push_back(-std::log(100.0));
  }
  r.generations = {prior, post};
  return r;
}

}  // namespace

TEST_CASE("calibration report: narrowed parameters in words, correlated pairs drawn", "[report]") {
  const CalibrationResults r = made_by_hand();
  const std::vector<std::string> findings = report::calibration_findings(r);
  // a: prior 90% about 0.05–0.95, posterior about 0.505–0.595 (the quantiles fall on particle
  // boundaries, where a sum of weights decides the last digit).
  CHECK(findings.at(0).rfind("The data narrowed model.a from 0.0", 0) == 0);
  CHECK(findings.at(0).find(" to 0.5") != std::string::npos);
  CHECK(findings.at(2).rfind("The data do not inform model.c", 0) == 0);
  const std::string pair_finding = findings.at(3);
  CHECK(pair_finding.rfind("The data inform model.a and model.b together (posterior "
                           "correlation -1.00)",
                           0) == 0);
  CHECK(findings.size() == 4);  // no other pair correlates, every target (none) in its band

  const std::string html = report::render_calibration_report(r);
  CHECK(html.find("<section id=\"pairs\">") != std::string::npos);
  CHECK(html.find("<figure id=\"pair-model.a-model.b\">") != std::string::npos);
  CHECK(html.find("<figure id=\"pair-model.a-model.c\">") == std::string::npos);
  CHECK(html.find("<figure id=\"pair-model.b-model.c\">") == std::string::npos);
  CHECK(html.find("<td>model.a \u00d7 model.b</td><td class=\"n\">-1.00</td>") !=
        std::string::npos);
  // One dot a particle of the posterior in the pair's figure.
  const size_t fig = html.find("<figure id=\"pair-model.a-model.b\">");
  const size_t end = html.find("</figure>", fig);
  size_t dots = 0;
  for (size_t at = html.find("<circle", fig); at < end; at = html.find("<circle", at + 1)) ++dots;
  CHECK(dots == 100);
}
