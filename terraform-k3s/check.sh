#!/usr/bin/env bash
# Offline checks of terraform-k3s, as CI runs them:
#   1. terraform fmt -check -recursive (and the example inputs' formatting)
#   2. terraform init -backend=false -plugin-dir=<plugin dir>, then terraform validate
#   3. terraform test (mocked AWS provider: no credentials, no network)
#   4. shellcheck on the user data rendered for each node role (server, app agent,
#      data-node agent) from the example inputs
#   5. what the module takes from the rest of the repository agrees with it: as many
#      data-node agents as k8s-manifests' config.ini declares data nodes, and k3s of the
#      minor version k8s-manifests' end-to-end test runs (SingleNodeClusterTest)
#   6. shellcheck on this script
# The last line reads "N passed, M failed": N counts the terraform test runs that passed
# plus the other checks that passed; M counts every failed check. Exits non-zero on
# any failure.
#
# Nothing is written into this folder: the module is copied to a temporary directory and
# initialised there, so no .terraform/ or lock file is left behind (the lock file is not
# committed; see README, "Provider lock file").
#
# Environment: TF_PLUGIN_DIR (default /opt/tf-plugins) holds hashicorp/aws 5.x unpacked.
set -euo pipefail

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,/^# Environment/p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly here
readonly plugin_dir="${TF_PLUGIN_DIR:-/opt/tf-plugins}"

passed=0
failed=0
work=""
provider_pid=""

section() { printf '\n== %s\n' "$*"; }
ok() {
  printf 'ok: %s\n' "$*"
  passed=$((passed + 1))
}
not_ok() {
  printf 'FAILED: %s\n' "$*"
  failed=$((failed + 1))
}
summary() { printf '\n%d passed, %d failed\n' "$passed" "$failed"; }
give_up() {
  printf 'check.sh: %s\n' "$*" >&2
  failed=$((failed + 1))
  summary
  exit 1
}

cleanup() {
  if [[ -n $provider_pid ]]; then
    kill "$provider_pid" 2>/dev/null || true
    wait "$provider_pid" 2>/dev/null || true
  fi
  if [[ -n $work ]]; then
    rm -rf "$work"
  fi
}
trap cleanup EXIT

# --- tools -----------------------------------------------------------------------------
command -v terraform >/dev/null 2>&1 ||
  give_up "terraform is not on PATH (Terraform >= 1.9 is needed; 1.11.4 is what this is tested with)"
[[ -d $plugin_dir/registry.terraform.io/hashicorp/aws ]] ||
  give_up "no hashicorp/aws provider under $plugin_dir: set TF_PLUGIN_DIR to a plugin directory holding registry.terraform.io/hashicorp/aws/5.x"
command -v shellcheck >/dev/null 2>&1 ||
  give_up "shellcheck is not on PATH (apt-get install -y shellcheck)"

export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0
# A CLI configuration file that is named but missing only adds a warning to every command.
if [[ -n ${TF_CLI_CONFIG_FILE:-} && ! -f $TF_CLI_CONFIG_FILE ]]; then
  unset TF_CLI_CONFIG_FILE
fi

printf 'terraform-k3s checks: %s, plugins from %s, %s\n' \
  "$(terraform version | sed -n 1p)" "$plugin_dir" "$(shellcheck --version | sed -n 's/^version: /shellcheck /p')"

# --- 1. formatting ---------------------------------------------------------------------
section "terraform fmt -check -recursive"
if terraform fmt -check -recursive -diff -no-color "$here"; then
  printf 'formatted: *.tf, tests/*.tftest.hcl\n'
else
  not_ok "terraform fmt: run 'terraform fmt -recursive' in $here"
fi
example="$here/examples/terraform.tfvars.example"
if [[ "$(terraform fmt -no-color - <"$example")" == "$(cat "$example")" ]]; then
  printf 'formatted: examples/terraform.tfvars.example\n'
else
  not_ok "examples/terraform.tfvars.example is not formatted as terraform fmt would write it"
fi

# --- 2. init and validate, in a temporary copy -----------------------------------------
work="$(mktemp -d "${TMPDIR:-/tmp}/terraform-k3s-check.XXXXXX")"
cp "$here"/*.tf "$work"/
cp -R "$here/templates" "$here/tests" "$here/examples" "$work"/
cd "$work"

section "terraform init -backend=false -plugin-dir=$plugin_dir"
if ! terraform init -backend=false -plugin-dir="$plugin_dir" -no-color >init.log 2>&1; then
  cat init.log
  give_up "terraform init failed"
fi
sed -n 's/^- Installed /installed /p' init.log

# Terraform starts the provider (a 700 MB binary) two or three times for every test run,
# about a second each. One provider process in its debug mode, shared through
# TF_REATTACH_PROVIDERS, serves every command below instead; if it does not come up,
# the checks run the ordinary, slower way.
provider_bin="$(find -L .terraform/providers -type f -name 'terraform-provider-aws*' -print -quit)"
if [[ -n $provider_bin ]]; then
  "$provider_bin" -debug >provider.log 2>&1 &
  provider_pid=$!
  reattach=""
  for _ in $(seq 1 100); do
    reattach="$(sed -n "/TF_REATTACH_PROVIDERS='/{s/^.*TF_REATTACH_PROVIDERS='\(.*\)'.*$/\1/p;q}" provider.log)"
    if [[ -n $reattach ]] || ! kill -0 "$provider_pid" 2>/dev/null; then
      break
    fi
    sleep 0.2
  done
  if [[ -n $reattach ]]; then
    export TF_REATTACH_PROVIDERS="$reattach"
  else
    printf 'note: the shared provider process did not start; each command starts its own\n'
    kill "$provider_pid" 2>/dev/null || true
    wait "$provider_pid" 2>/dev/null || true
    provider_pid=""
  fi
fi

section "terraform validate (module and tests)"
terraform validate -no-color || not_ok "terraform validate"

# --- 3. terraform test -----------------------------------------------------------------
section "terraform test"
test_ok=true
terraform test -no-color 2>&1 | tee test.log || test_ok=false
counts="$(grep -Eo '[0-9]+ passed, [0-9]+ failed' test.log | tail -n 1 || true)"
if [[ -n $counts ]]; then
  read -r test_passed _ test_failed _ <<<"${counts//,/}"
  passed=$((passed + test_passed))
  failed=$((failed + test_failed))
  if [[ $test_ok == false && $test_failed -eq 0 ]]; then
    not_ok "terraform test exited non-zero"
  fi
else
  not_ok "terraform test printed no result line"
fi

# --- 4. shellcheck ---------------------------------------------------------------------
section "shellcheck: user data rendered for each role"
# The module's own template inputs (local.*_user_data_vars, from the example inputs), plus
# representative values for what only exists once AWS has built the instances: the
# server's Elastic IP and private address.
readonly render_expression='nonsensitive(join(" ", [
base64encode(templatefile(local.server_user_data_template, merge(local.server_user_data_vars, { tls_sans = ["203.0.113.10"] }))),
base64encode(templatefile(local.agent_user_data_template, merge(local.agent_user_data_vars["app"], { server_url = "https://10.20.0.10:6443" }))),
base64encode(templatefile(local.agent_user_data_template, merge(local.agent_user_data_vars["ndb-data"], { server_url = "https://10.20.0.10:6443" })))
]))'
roles=(server app-agent ndb-data-agent)
mkdir -p rendered
if rendered_line="$(tr '\n' ' ' <<<"$render_expression" |
  TF_VAR_k3s_token="check-token-0123456789abcdef0123456789abcdef" \
    terraform console -var-file=examples/terraform.tfvars.example 2>console.log)"; then
  rendered_line="${rendered_line#\"}"
  read -r -a rendered <<<"${rendered_line%\"}"
  for i in "${!roles[@]}"; do
    role="${roles[$i]}"
    script="rendered/$role.sh"
    if ! base64 -d <<<"${rendered[$i]:-}" >"$script" 2>/dev/null || [[ ! -s $script ]]; then
      not_ok "user data ($role) did not render: ${rendered_line:0:80}"
    elif shellcheck --shell=bash --severity=style "$script"; then
      ok "shellcheck user data: $role ($(wc -l <"$script") lines)"
    else
      not_ok "shellcheck user data: $role"
    fi
  done
else
  cat console.log
  for role in "${roles[@]}"; do
    not_ok "user data ($role) could not be rendered"
  done
fi

# --- 5. agreement with the rest of the repository ---------------------------------------
section "agreement with k8s-manifests"
# What the module takes as given (main.tf, locals), against where it is defined: one
# data-node agent per [ndbd] section of config.ini, and k3s of the minor version the
# end-to-end test runs the manifests on.
readonly config_ini="$here/../k8s-manifests/base/config/ndb/config.ini"
readonly e2e_test="$here/../k8s-manifests/src/test/java/io/sqlgate/k8s/SingleNodeClusterTest.java"
# shellcheck disable=SC2016 # a Terraform expression, for terraform console
readonly facts_expression='"${local.ndb_data_node_count} ${local.tested_k3s_minor}"'
if [[ ! -f $config_ini || ! -f $e2e_test ]]; then
  not_ok "k8s-manifests is not next to this folder ($config_ini, $e2e_test)"
elif facts="$(TF_VAR_k3s_token="check-token-0123456789abcdef0123456789abcdef" \
  terraform console -var-file=examples/terraform.tfvars.example <<<"$facts_expression" 2>facts.log)"; then
  read -r module_data_nodes module_k3s_minor <<<"${facts//\"/}"
  declared_data_nodes="$(grep -c '^\[ndbd\]' "$config_ini" || true)"
  if [[ $module_data_nodes == "$declared_data_nodes" ]]; then
    ok "data-node agents ($module_data_nodes) = data nodes of config.ini"
  else
    not_ok "local.ndb_data_node_count is $module_data_nodes, config.ini declares $declared_data_nodes [ndbd] sections"
  fi
  tested_minor="$(sed -n 's|.*"rancher/k3s:v\(1\.[0-9]*\)\..*|\1|p' "$e2e_test" | head -n 1)"
  if [[ -n $tested_minor && $module_k3s_minor == "$tested_minor" ]]; then
    ok "k3s_version's minor version ($module_k3s_minor) = the end-to-end test's k3s image"
  else
    not_ok "local.tested_k3s_minor is $module_k3s_minor, SingleNodeClusterTest runs k3s ${tested_minor:-(not found)}"
  fi
else
  cat facts.log
  not_ok "terraform console could not evaluate the module's locals"
fi

section "shellcheck: check.sh"
if shellcheck --shell=bash --severity=style "$here/check.sh"; then
  ok "shellcheck check.sh"
else
  not_ok "shellcheck check.sh"
fi

summary
if ((failed > 0)); then
  exit 1
fi
