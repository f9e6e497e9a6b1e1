Feature: Survival on shutdown
  When a machine, a process or an exchange server goes away — killed, stopped gracefully, frozen — every
  other process withdraws what it learned from it, promptly and without ghosts, and everything that does not
  depend on it keeps working. When it comes back, the mesh converges again with exactly one link per pair.

  Background:
    Given the topology "three-machine-mesh" is running

  Scenario: A crashed machine's services are withdrawn everywhere else
    Then within 5 seconds process "gamma/reporter" sees service "web"
    When machine "beta" crashes
    Then within 3 seconds process "alpha/billing" no longer sees service "web"
    And within 3 seconds process "gamma/reporter" no longer sees service "web"
    And process "gamma/reporter" can call service "billing"
    And every invariant holds

  Scenario: A machine that shuts down gracefully is withdrawn at once
    When machine "alpha" shuts down
    Then within 2 seconds process "beta/web" no longer sees service "billing"
    And within 2 seconds process "gamma/reporter" no longer sees service "billing"
    And process "beta/web" can call service "web"

  Scenario: A frozen machine is detected by heartbeats, and thawing it restores everything
    When machine "beta" freezes
    Then within 4 seconds process "alpha/billing" no longer sees service "web"
    And within 4 seconds process "gamma/reporter" no longer sees service "web"
    When machine "beta" thaws
    Then within 6 seconds process "alpha/billing" sees service "web"
    And within 6 seconds "alpha" and "beta" share exactly one link

  Scenario: A machine's exchange server dies; its clients lose the mesh, the rest is unaffected
    When process "beta/exchange" crashes
    Then within 3 seconds process "alpha/billing" no longer sees service "web"
    And within 3 seconds process "beta/web" no longer sees service "billing"
    And process "gamma/reporter" can call service "billing"
    When process "beta/exchange" starts again
    Then within 6 seconds process "alpha/billing" sees service "web"
    And within 6 seconds process "beta/web" sees service "billing"

  Scenario: A crashed machine starts again and the mesh converges with one link per pair
    When machine "gamma" crashes
    And machine "gamma" starts again
    Then within 8 seconds "gamma" and "alpha" share exactly one link
    And within 8 seconds "gamma" and "beta" share exactly one link
    And within 5 seconds process "gamma/reporter" sees service "web"
    And a call from process "gamma/reporter" to service "billing" is answered by process "alpha/billing"
    And every invariant holds

  Scenario: A process that crashes is withdrawn, and returns when started again
    When process "alpha/billing" crashes
    Then within 3 seconds process "beta/web" no longer sees service "billing"
    And process "gamma/reporter" can call service "web"
    When process "alpha/billing" starts again
    Then within 6 seconds process "beta/web" sees service "billing"
