// How a command file registers itself: it adds its CLI11 subcommand and the
// function that runs it when that subcommand (the innermost one parsed) was
// chosen.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace harness {

void AddCommand(CLI::App* command, std::function<int()> run);

void RegisterDbCommands(CLI::App& app);
void RegisterValidateCommand(CLI::App& app);
void RegisterCheckCommand(CLI::App& app);
void RegisterRunCommand(CLI::App& app);
void RegisterReportCommand(CLI::App& app);
void RegisterCompareCommand(CLI::App& app);
void RegisterServeBodyCommand(CLI::App& app);
void RegisterAgentCommand(CLI::App& app);
void RegisterHostsCommand(CLI::App& app);

}  // namespace harness
