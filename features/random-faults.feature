Feature: Random fault schedules
  Faults drawn from a seed strike the mesh under load — machines crash, shut down and freeze, processes crash,
  links are cut, blackholed, made one-way or slow — then everything heals; once the lab has recovered, the
  calls must have been answered whenever no fault was in force and every invariant must hold (the report
  checkers judge the publications outside the fault windows). A failing seed is
  replayed with `exlab run --seed <n>`, its schedule is written as named steps beside the report, and
  `exlab shrink` reduces it to the faults that matter.

  Scenario Outline: The mesh comes back from random faults under load (seed <seed>)
    Given the topology "failover" is running
    And process "alpha/desk" subscribes to reports "price.*" from service "prices"
    And process "alpha/desk" calls service "web" every 100 ms
    And service "prices" in process "gamma/feed" publishes on subject "price.eur" every 50 ms
    When random faults strike for 12 seconds with seed <seed>:
      | at once | 2 |
    And the workloads stop
    Then every call made while no fault was active succeeded
    And every invariant holds

    Examples:
      | seed |
      | 1    |
      | 2    |
      | 3    |

  Scenario: Only silent faults, two at a time (seed 11)
    Given the topology "three-machine-mesh" is running
    And process "gamma/reporter" calls service "billing" every 100 ms
    When random faults strike for 10 seconds with seed 11:
      | fault     | weight |
      | blackhole | 2      |
      | freeze    | 1      |
      | one-way   | 1      |
      | latency   | 1      |
      | at once   | 2      |
      | lasting   | 1 s to 3 s |
    And the workloads stop
    Then every call made while no fault was active succeeded
    And every invariant holds
