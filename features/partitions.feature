Feature: Partitions and one-way faults
  Every cross-machine link runs through a fault proxy. Cutting a link resets its connections, blackholing it
  keeps them open while every byte vanishes (only heartbeats can tell), a one-way fault drops one side's bytes
  only, and isolating a machine cuts all of its links. In a full mesh each server forwards only what it learned
  first-hand (one hop), so a lost link hides exactly the services behind it — and healing brings them back.

  Background:
    Given the topology "three-machine-mesh" is running

  Scenario: A cut link hides the services behind it, and only those
    When the link between "alpha" and "gamma" is cut
    Then within 3 seconds process "gamma/reporter" no longer sees service "billing"
    And within 1 second process "gamma/reporter" sees service "web"
    And within 1 second process "beta/web" sees service "billing"
    When the link between "alpha" and "gamma" heals
    Then within 5 seconds process "gamma/reporter" sees service "billing"
    And within 5 seconds "alpha" and "gamma" share exactly one link
    And every invariant holds

  Scenario: A blackholed link is detected by missed heartbeats
    When the link between "beta" and "gamma" is blackholed
    Then within 4 seconds process "gamma/reporter" no longer sees service "web"
    And within 4 seconds process "beta/web" sees service "billing"
    When the link between "beta" and "gamma" heals
    Then within 6 seconds process "gamma/reporter" sees service "web"
    And every invariant holds

  Scenario: An isolated machine loses the mesh, and the others keep each other
    When "alpha" is isolated from the network
    Then within 3 seconds process "beta/web" no longer sees service "billing"
    And within 3 seconds process "alpha/billing" no longer sees service "web"
    And within 1 second process "gamma/reporter" sees service "web"
    And a call from process "gamma/reporter" to service "billing" fails with "SERVICE_UNAVAILABLE"
    When the network heals
    Then within 6 seconds process "beta/web" sees service "billing"
    And within 6 seconds process "gamma/reporter" sees service "billing"
    And process "gamma/reporter" can call service "billing"
    And every invariant holds

  Scenario: When one side can no longer reach the other, the link dies on both sides
    When process "gamma/reporter" offers service "reports"
    Then within 3 seconds process "alpha/billing" sees service "reports"
    When "alpha" can no longer reach "gamma"
    Then within 4 seconds process "gamma/reporter" no longer sees service "billing"
    And within 4 seconds process "alpha/billing" no longer sees service "reports"
    When the network heals
    Then within 6 seconds process "gamma/reporter" sees service "billing"
    And within 6 seconds "alpha" and "gamma" share exactly one link

  Scenario: A partition between two servers leaves their clients unaffected inside each machine
    When the link between "alpha" and "beta" is cut
    Then within 3 seconds process "beta/web" no longer sees service "billing"
    And process "alpha/billing" can call service "ledger"
    And process "beta/web" can call service "web"
    When the link between "alpha" and "beta" heals
    Then within 5 seconds process "beta/web" sees service "billing"
