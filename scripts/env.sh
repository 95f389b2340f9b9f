# Environment shared by the project's scripts (sourced, not run).
export RASA_TELEMETRY_ENABLED=false          # no telemetry, ever
export TF_CPP_MIN_LOG_LEVEL=2                # TensorFlow: no info chatter on the console
export SQLALCHEMY_SILENCE_UBER_WARNING=1
export PYTHONWARNINGS="${PYTHONWARNINGS:-ignore::DeprecationWarning}"
