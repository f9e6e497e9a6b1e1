Feature: Audience scoping
  A service's audience says who may see it: "*" everyone (across bridges too), "" only its own process, a
  group name only processes reached through that exchange group. The lab checks what every process sees against
  a table, and the audience-safety invariant (I1) checks every binding any process ever held.

  Background:
    Given the topology "audience-scoping" is running

  Scenario: Who sees what
    Then within 5 seconds the services seen are:
      | process       | billing | ledger | web | audit | alarms | ops-desk |
      | alpha/billing | yes     | yes    | yes | no    | yes    | no       |
      | alpha/console | yes     | no     | yes | yes   | yes    | yes      |
      | beta/web      | yes     | no     | yes | no    | yes    | no       |
      | beta/ops      | yes     | no     | yes | yes   | yes    | yes      |
    And every invariant holds

  Scenario: A process-private service never leaves its process
    Then for 2 seconds process "beta/web" never sees service "ledger"
    And for 1 second process "alpha/console" never sees service "ledger"

  Scenario: A service offered at run time with a group audience stays in that group
    When process "beta/web" offers service "backoffice" with audience "admin"
    And process "alpha/console" offers service "admin-tools" with audience "admin"
    Then within 3 seconds process "beta/ops" sees service "admin-tools"
    And for 2 seconds process "alpha/billing" never sees service "admin-tools"
    And for 1 second process "beta/ops" never sees service "backoffice"

  Scenario: Withdrawing a service removes it everywhere it was seen
    When process "alpha/console" withdraws service "alarms"
    Then within 3 seconds process "beta/web" no longer sees service "alarms"
    And within 3 seconds process "beta/ops" no longer sees service "alarms"
    And every invariant holds
