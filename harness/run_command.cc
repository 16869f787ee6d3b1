// harness run [bench.yaml]: the main job. See run/runner.h.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "command_table.h"
#include "commands.h"
#include "config/config.h"
#include "run/runner.h"

namespace harness {

void RegisterRunCommand(CLI::App& app) {
  auto file = std::make_shared<std::string>("bench.yaml");
  auto options = std::make_shared<RunOptions>();
  CLI::App* run = app.add_subcommand(
      "run", "Run the comparison a bench.yaml describes; results go under results/");
  run->add_option("config", *file, "the bench.yaml to run");
  run->add_option("--server", options->only_servers, "run only these servers (repeatable)");
  run->add_flag("!--no-build", options->build, "skip the servers' build commands");
  run->add_flag("--quiet", options->quiet, "don't print the tables at the end");
  auto repetitions = std::make_shared<int>(0);
  run->add_option("--repetitions", *repetitions,
                  "repeat every measurement this many times (default: bench.yaml's repetitions)")
      ->check(CLI::Range(1, 1000));
  auto output = std::make_shared<std::string>();
  run->add_option("--output", *output,
                  "where the run directory goes (default: bench.yaml's output)");
  AddCommand(run, [file, options, output, repetitions] {
    auto config = LoadConfig(*file);
    if (!config) {
      std::fprintf(stderr, "harness: %s\n", config.error().message.c_str());
      return kExitBadInput;
    }
    if (Status s = CheckServerNames(*config, options->only_servers); !s) {
      std::fprintf(stderr, "harness: %s\n", s.error().message.c_str());
      return kExitBadInput;
    }
    if (!output->empty()) config->output = std::filesystem::absolute(*output);
    if (*repetitions > 0) config->repetitions = *repetitions;
    return RunBenchmark(*config, *options).exit_code;
  });
}

}  // namespace harness
