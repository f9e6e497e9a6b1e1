Feature: The shop survives its machines
  Scaffolded by `exlab init`: edit topologies/shop.yaml and these scenarios to describe your own system.

  Background:
    Given the topology "shop" is running

  Scenario: The front end reaches the orders service, never the ledger
    Then within 5 seconds process "beta/web" sees service "orders"
    And for 1 second process "beta/web" never sees service "ledger"
    And a call from process "beta/web" to service "orders" is answered by process "alpha/orders"

  Scenario: Losing the orders machine withdraws its services; they return with it
    When machine "alpha" crashes
    Then within 3 seconds process "beta/web" no longer sees service "orders"
    When machine "alpha" starts again
    Then within 6 seconds process "beta/web" sees service "orders"
    And every invariant holds

  Scenario: A step of your own (step_definitions/) sees the same lab
    Then every machine of the lab is "running"
