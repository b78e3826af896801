"""scikit-learn's RandomForestClassifier on the svmlight features written by forest-vs-sklearn.mjs."""
import json
import sys
import time

from sklearn.datasets import load_svmlight_file
from sklearn.ensemble import RandomForestClassifier

work, name, features, trees = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
x_train, y_train = load_svmlight_file(f"{work}/{name}-train.svm", n_features=features, zero_based=True)
x_test, y_test = load_svmlight_file(f"{work}/{name}-test.svm", n_features=features, zero_based=True)
forest = RandomForestClassifier(n_estimators=trees, max_features="sqrt", random_state=0, n_jobs=1)
started = time.perf_counter()
forest.fit(x_train, y_train)
train_s = time.perf_counter() - started
started = time.perf_counter()
predicted = forest.predict(x_test)
predict_s = time.perf_counter() - started
print(json.dumps({
    "accuracy": float((predicted == y_test).mean()),
    "train_s": train_s,
    "predict_per_s": len(y_test) / predict_s,
}))
