"""`python -m preview`: the offline preview command, composing the inventory, the policy pack and the cost
estimate into one summary (`summary`) and rendering it (`render`)."""
