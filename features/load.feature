Feature: Load while it hurts
  Background traffic runs inside the processes while machines crash and freeze and links fail. After every
  scenario the checkers judge each operation: every call settled once; every report reached each subscriber at
  most once and in order, and none was lost or failed while nothing was faulted. The scenarios say what a user of
  the mesh sees: how many calls succeeded, how soon they succeed again, how fast they were.

  Background:
    Given the topology "three-machine-mesh" is running
    And process "gamma/reporter" calls service "billing" every 20 ms

  Scenario: Calls across a crash of the provider's machine fail fast, then succeed again once it is back
    When machine "alpha" crashes
    Then within 3 seconds process "gamma/reporter" no longer sees service "billing"
    When machine "alpha" starts again
    Then within 6 seconds of "alpha" coming back the calls from "gamma/reporter" to "billing" succeed again
    When the workloads stop
    Then every call made while no fault was active succeeded
    And every invariant holds

  Scenario: Calls across a frozen provider: detected by heartbeats, served again after the thaw
    When machine "alpha" freezes
    Then within 4 seconds process "gamma/reporter" no longer sees service "billing"
    When machine "alpha" thaws
    Then within 6 seconds of "alpha" coming back the calls from "gamma/reporter" to "billing" succeed again
    When the workloads stop
    Then every call made while no fault was active succeeded
    And every invariant holds

  Scenario: Calls across a cut link recover within two seconds of the heal
    When the link between "gamma" and "alpha" is cut
    Then within 3 seconds process "gamma/reporter" no longer sees service "billing"
    When the network heals
    Then within 3 seconds of the network healing the calls from "gamma/reporter" to "billing" succeed again
    When the workloads stop
    Then every call made while no fault was active succeeded
    And every invariant holds

  Scenario: Calls across a one-way fault: the link dies by its heartbeats and comes back after the heal
    When "gamma" can no longer reach "alpha"
    Then within 4 seconds process "gamma/reporter" no longer sees service "billing"
    When the network heals
    Then within 4 seconds of the network healing the calls from "gamma/reporter" to "billing" succeed again
    When the workloads stop
    Then every call made while no fault was active succeeded
    And every invariant holds

  Scenario: A slow link slows the calls but loses none; latency is judged outside the fault
    When 3 seconds pass
    And the link between "gamma" and "alpha" gets 200 ms of latency
    And 1 second passes
    And the network heals
    And 3 seconds pass
    And the workloads stop
    Then at least 99% of the calls from "gamma/reporter" to "billing" succeeded
    And the p99 latency of the calls from "gamma/reporter" to "billing" stayed under 300 ms while no fault was active
    And every invariant holds

  Scenario: Reports across a cut and a restart of the subscriber's machine: none lost, doubled or reordered outside the faults
    Given service "billing" in process "alpha/billing" publishes on subject "price.eur" every 10 ms
    When process "gamma/reporter" subscribes to reports "price.*" from service "billing"
    And process "beta/web" subscribes to reports "price.*" from service "billing"
    And 3 seconds pass
    And the link between "gamma" and "alpha" is cut
    And 1 second passes
    And the network heals
    And 3 seconds pass
    And machine "beta" crashes
    And machine "beta" starts again
    And process "beta/web" subscribes to reports "price.*" from service "billing"
    And 3 seconds pass
    And the workloads stop
    Then no report from "billing" to "gamma/reporter" was lost, doubled or reordered outside the fault windows
    And no report from "billing" to "beta/web" was lost, doubled or reordered outside the fault windows
    And every invariant holds
